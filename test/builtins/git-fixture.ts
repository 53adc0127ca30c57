import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** git on the host, as a test sets a repository up (never through the built-in). */
export function git(repo: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=Ada', '-c', 'user.email=ada@example.com', '-c', 'init.defaultBranch=main', '-c', 'safe.directory=*', ...args], { cwd: repo, encoding: 'utf8', env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' } });
}

/** A repository with two commits on main, a feature branch, one unstaged and one staged change. */
export function makeRepo(path: string): void {
  mkdirSync(path, { recursive: true });
  git(path, 'init', '-q');
  writeFileSync(join(path, 'notes.txt'), 'first line\n');
  git(path, 'add', 'notes.txt');
  git(path, 'commit', '-q', '-m', 'Add notes');
  writeFileSync(join(path, 'notes.txt'), 'first line\nsecond line\n');
  git(path, 'commit', '-q', '-am', 'Second line');
  git(path, 'branch', 'feature');
  writeFileSync(join(path, 'notes.txt'), 'first line\nsecond line\nthird, unstaged\n');
  writeFileSync(join(path, 'staged.txt'), 'staged\n');
  git(path, 'add', 'staged.txt');
}

/** As root the cage's uid (65534) must own what it writes. */
export function giveToSandbox(path: string): void {
  if (process.getuid?.() !== 0) return;
  chownSync(path, 65534, 65534);
  if (statSync(path).isDirectory()) for (const entry of readdirSync(path)) giveToSandbox(join(path, entry));
}

/** A program that leaves `marker` behind when anything runs it. */
export function markerScript(path: string, marker: string): string {
  writeFileSync(path, `#!/bin/sh\ntouch '${marker}'\ncat\n`);
  chmodSync(path, 0o755);
  return path;
}
