import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultConfig } from './default-config.js';
import type { OutletConfig } from './types.js';

/** A config for one short command, and what to clean up after it. */
export interface TransientConfig {
  config: OutletConfig;
  /** Removes the temporary workspace, if one was made; safe to call more than once. */
  dispose(): void;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * The embedded default config for a one-shot command (`outlet list`, `call`, `pin` without
 * `--config`). Such a command must not leave files behind in whatever directory it was typed in:
 * it uses `./workspace` only when that already exists (made by `outlet serve`, so a call sees the
 * same files and graph), and otherwise a temporary workspace that `dispose()` removes.
 *
 * @example
 * const { config, dispose } = transientDefaultConfig();
 * try { ... } finally { dispose(); }
 */
export function transientDefaultConfig(cwd: string = process.cwd()): TransientConfig {
  const existing = join(cwd, 'workspace');
  if (isDirectory(existing)) return { config: defaultConfig({ workspaceDir: existing }), dispose: () => undefined };
  const scratch = mkdtempSync(join(tmpdir(), 'outlet-workspace-'));
  try {
    return { config: defaultConfig({ workspaceDir: scratch }), dispose: () => rmSync(scratch, { recursive: true, force: true }) };
  } catch (err) {
    rmSync(scratch, { recursive: true, force: true });
    throw err;
  }
}
