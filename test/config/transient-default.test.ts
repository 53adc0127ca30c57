import { existsSync, mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { transientDefaultConfig, type StdioServerConfig } from '../../src/config/index.js';

// The default config of a one-shot command (list, call, pin without --config) leaves nothing
// behind where it ran: ./workspace only when it already exists, otherwise a temporary one.

const workspaceOf = (config: { servers: Record<string, unknown> }): string => (config.servers.filesystem as StdioServerConfig).args.at(-1)!;

describe('transientDefaultConfig', () => {
  it('uses a temporary workspace when ./workspace does not exist, and removes it', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'outlet-transient-'));
    const { config, dispose } = transientDefaultConfig(cwd);
    const workspace = workspaceOf(config);
    expect(workspace.startsWith(join(cwd, 'workspace'))).toBe(false);
    expect(existsSync(workspace)).toBe(true);
    dispose();
    expect(existsSync(workspace)).toBe(false);
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('uses ./workspace when it exists (what `outlet serve` made), and keeps it', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'outlet-transient-'));
    mkdirSync(join(cwd, 'workspace'));
    const { config, dispose } = transientDefaultConfig(cwd);
    expect(workspaceOf(config)).toBe(join(cwd, 'workspace'));
    dispose();
    expect(existsSync(join(cwd, 'workspace'))).toBe(true);
  });
});
