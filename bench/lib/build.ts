// Compiles the outlet's src/ (as it is now, uncommitted edits included) into a git-ignored
// directory, so the gateway under test runs as published (compiled JavaScript, no tsx loader in
// the process: tsx adds about 50 MB of RSS and its own start-up).
import { execFileSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './configs.js';

export const BUILD_DIR = join(REPO_ROOT, 'bench/results/.outlet-build');

/** Builds and returns the CLI entry. Type errors (others mid-edit) are reported, not fatal: tsc still emits. */
export function buildOutlet(log: (line: string) => void): string {
  rmSync(BUILD_DIR, { recursive: true, force: true });
  const tsc = join(REPO_ROOT, 'node_modules/typescript/bin/tsc');
  try {
    execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--outDir', BUILD_DIR, '--declaration', 'false', '--sourceMap', 'false', '--incremental', 'false'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 180_000,
    });
  } catch (err) {
    const out = (err as { stdout?: string }).stdout ?? '';
    log(`    tsc reported problems (the build is used anyway if it emitted):\n${out.split('\n').slice(0, 10).join('\n')}`);
  }
  // Files tsc does not emit (the sandbox's egress forwarder), as `npm run build` copies them.
  execFileSync(process.execPath, [join(REPO_ROOT, 'scripts/copy-assets.mjs'), BUILD_DIR], { cwd: REPO_ROOT, stdio: 'ignore' });
  const entry = join(BUILD_DIR, 'cli/main.js');
  if (!existsSync(entry)) throw new Error(`the outlet build did not produce ${entry}`);
  return entry;
}
