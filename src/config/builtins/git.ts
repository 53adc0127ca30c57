import { resolve } from 'node:path';
import * as z from 'zod';
import { builtinSpec } from './builtin-spec.js';

/**
 * `git`: reads repositories inside the configured roots (status, log, diff, show, branches) with
 * the host's git binary, and commits only when `allowCommit` is set. The roots are the only
 * folders the cage shows, read-only unless commits are allowed; no network.
 */
export const gitBuiltin = builtinSpec({
  name: 'git',
  description: 'Status, log, diff, show and branches of git repositories inside the configured roots; commits only with allowCommit. No network.',
  options: {
    roots: z.array(z.string().min(1)).min(1).describe('Folders whose repositories may be read (relative paths are resolved against the config file\'s folder). A tool call names a repository inside one; the first root is the default.'),
    allowCommit: z.boolean().default(false).describe('Offer git_commit and mount the roots writable. Default: false (read-only, git_commit not listed).'),
    maxOutputBytes: z.int().positive().max(16 * 1024 * 1024).default(256 * 1024).describe('Output kept from one git command (diff, show); the rest is cut with a marker. Default: 262144.'),
    maxLogCount: z.int().positive().max(10_000).default(200).describe('Most commits git_log returns in one call. Default: 200.'),
    author: z.strictObject({ name: z.string().min(1), email: z.string().min(3) }).optional().describe('Author and committer of git_commit\'s commits. Default: the repository\'s own user.name and user.email (git refuses to commit without them).'),
    commandTimeoutMs: z.int().positive().max(600_000).default(30_000).describe('Time one git command may take before it is killed. Default: 30000.'),
  },
  resolve: (options, baseDir) => ({ ...options, roots: options.roots.map((root) => resolve(baseDir, root)) }),
  sandbox: (resolved) => ({
    network: 'none',
    mounts: (resolved.roots as string[]).map((path) => ({ path, mode: resolved.allowCommit === true ? ('rw' as const) : ('ro' as const) })),
  }),
});
