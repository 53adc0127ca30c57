import * as z from 'zod';
import { defineTool, type ToolDefinition } from '../define.js';
import { checkPaths, checkRepo } from './git-args.js';
import { configArgs } from './git-harden.js';
import { gitText } from './git-exec.js';
import type { GitOptions } from './git-read-tools.js';

/**
 * git_commit: offered only when the config sets allowCommit (the roots are then mounted
 * writable). Stages the named paths (or every tracked change with `all`) and commits with the
 * given message; hooks and signing are off like everything else that would run a program.
 */
export function gitCommitTool(o: GitOptions & { author?: { name: string; email: string } }): ToolDefinition {
  return defineTool({
    name: 'git_commit',
    description: 'Records a commit: stages the given paths (or, with all, every change to tracked files) and commits them with the message. Hooks do not run.',
    input: z.object({
      repo: z.string().optional().describe('The repository folder, inside a configured root. Default: the first root.'),
      message: z.string().min(1).max(20_000).describe('The commit message'),
      paths: z.array(z.string()).max(1000).optional().describe('Paths to stage first (relative to the repository)'),
      all: z.boolean().default(false).describe('Stage every change to tracked files (git commit -a)'),
    }),
    output: z.object({ commit: z.string(), summary: z.string() }),
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    run: async ({ repo, message, paths, all }, { signal }) => {
      const top = checkRepo(repo, o.roots);
      const pathspecs = checkPaths(paths, top);
      const who = o.author ? configArgs([`user.name=${o.author.name}`, `user.email=${o.author.email}`]) : [];
      if (pathspecs.length > 0) await gitText(top, ['add', '--', ...pathspecs], o, signal);
      const done = await gitText(top, [...who, 'commit', '--no-verify', '--no-gpg-sign', '--no-edit', '--cleanup=strip', ...(all ? ['--all'] : []), `--message=${message}`], o, signal);
      const head = await gitText(top, ['rev-parse', '--verify', 'HEAD'], o, signal);
      return { commit: head.stdout.trim(), summary: done.stdout.trim().split('\n')[0] ?? '' };
    },
  });
}
