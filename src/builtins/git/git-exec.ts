import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCapped, type CappedRun } from '../run-capped.js';
import { configArgs, driverOverrides, FIXED_OVERRIDES } from './git-harden.js';

export interface GitLimits {
  timeoutMs: number;
  maxOutputBytes: number;
}

/**
 * The environment of every git command: built from nothing (the server's own environment is not
 * passed), no system or global config, no pager, no prompt, literal pathspecs (no `:(magic)` in a
 * path argument), the repository named explicitly so git never searches upward.
 */
function gitEnv(repo: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? tmpdir(),
    LC_ALL: 'C',
    GIT_DIR: join(repo, '.git'),
    GIT_WORK_TREE: repo,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_PAGER: 'cat',
    PAGER: 'cat',
    GIT_EDITOR: 'true',
    GIT_TERMINAL_PROMPT: '0',
    GIT_OPTIONAL_LOCKS: '0',
    GIT_LITERAL_PATHSPECS: '1',
    GIT_PROTOCOL_FROM_USER: '0',
  };
}

/**
 * Runs one git command on `repo` with every program-running setting neutralised: the fixed list,
 * then the drivers this repository's config defines (read first with `git config`, which runs
 * nothing). `safe.directory` names this repository only: as root the cage's uid does not own it.
 */
export async function runGit(repo: string, args: readonly string[], limits: GitLimits, signal?: AbortSignal): Promise<CappedRun> {
  const env = gitEnv(repo);
  const base = ['--no-pager', ...configArgs([`safe.directory=${repo}`, ...FIXED_OVERRIDES])];
  const small = { cwd: repo, env, timeoutMs: limits.timeoutMs, maxOutputBytes: 1024 * 1024 };
  const listed = await runCapped('git', [...base, 'config', '--null', '--list', '--name-only', '--includes'], small);
  if (listed.truncated) throw new Error('the repository\'s config is too large to check');
  const drivers = driverOverrides(listed.stdout);
  return runCapped('git', [...base, ...configArgs(drivers), ...args], { cwd: repo, env, timeoutMs: limits.timeoutMs, maxOutputBytes: limits.maxOutputBytes, ...(signal ? { signal } : {}) });
}

/** The output of a git command that must succeed; its stderr as the error otherwise. */
export async function gitText(repo: string, args: readonly string[], limits: GitLimits, signal?: AbortSignal): Promise<CappedRun> {
  const run = await runGit(repo, args, limits, signal);
  if (run.timedOut) throw new Error(`git ${args[0]} took longer than ${limits.timeoutMs} ms and was stopped`);
  if (run.exitCode !== 0 && !run.truncated) throw new Error(`git ${args[0]} failed: ${run.stderr.trim() || `exit code ${run.exitCode}`}`);
  return run;
}
