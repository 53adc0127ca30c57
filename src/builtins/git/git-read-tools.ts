import * as z from 'zod';
import { defineTool, type ToolDefinition } from '../define.js';
import { checkPaths, checkRepo, checkRev } from './git-args.js';
import { gitText, type GitLimits } from './git-exec.js';

export interface GitOptions extends GitLimits {
  roots: string[];
  maxLogCount: number;
}

const repoArg = z.string().optional().describe('The repository folder, inside a configured root. Default: the first root.');
const pathsArg = z.array(z.string()).max(100).optional().describe('Limit to these paths (relative to the repository)');
/** Everything that could start a program on output: external diff drivers, textconv, colour codes. */
const SAFE_DIFF = ['--no-ext-diff', '--no-textconv', '--no-color', '--ignore-submodules=all'];
const read = { readOnlyHint: true, openWorldHint: false } as const;

export function gitReadTools(o: GitOptions): ToolDefinition[] {
  const text = (out: { stdout: string }) => out.stdout || '(no output)';
  return [
    defineTool({
      name: 'git_status', description: 'The working tree status of a repository: branch, staged, unstaged and untracked files (git status --short --branch).',
      input: z.object({ repo: repoArg }), annotations: read,
      run: async ({ repo }, { signal }) => text(await gitText(checkRepo(repo, o.roots), ['status', '--short', '--branch', '--ignore-submodules=all'], o, signal)),
    }),
    defineTool({
      name: 'git_log', description: `Recent commits (newest first), at most ${o.maxLogCount}: hash, author, date, subject.`,
      input: z.object({ repo: repoArg, count: z.int().positive().default(20).describe(`How many commits (at most ${o.maxLogCount})`), ref: z.string().optional().describe('Start from this revision. Default: HEAD'), paths: pathsArg }),
      output: z.object({ commits: z.array(z.object({ hash: z.string(), author: z.string(), email: z.string(), date: z.string(), subject: z.string() })) }),
      annotations: read,
      run: async ({ repo, count, ref, paths }, { signal }) => {
        const top = checkRepo(repo, o.roots);
        if (count > o.maxLogCount) throw new Error(`count: ${count} is more than maxLogCount (${o.maxLogCount})`);
        const revs = ref === undefined ? [] : [checkRev(ref, 'ref')];
        const out = await gitText(top, ['log', `--max-count=${count}`, '--no-show-signature', '--format=%H%x1f%an%x1f%ae%x1f%aI%x1f%s%x1e', '--end-of-options', ...revs, '--', ...checkPaths(paths, top)], o, signal);
        const commits = out.stdout.split('\x1e').map((r) => r.trim()).filter(Boolean).map((r) => {
          const [hash = '', author = '', email = '', date = '', subject = ''] = r.split('\x1f');
          return { hash, author, email, date, subject };
        });
        return { commits };
      },
    }),
    defineTool({
      name: 'git_diff', description: 'A diff: the working tree against the index (default), the index against HEAD (staged), or between two revisions (from, to). Long output is cut with a marker.',
      input: z.object({ repo: repoArg, staged: z.boolean().default(false).describe('Staged changes (index against HEAD)'), from: z.string().optional().describe('Base revision'), to: z.string().optional().describe('Target revision (needs from)'), paths: pathsArg }),
      annotations: read,
      run: async ({ repo, staged, from, to, paths }, { signal }) => {
        const top = checkRepo(repo, o.roots);
        if (to !== undefined && from === undefined) throw new Error('to: needs from');
        if (staged && to !== undefined) throw new Error('staged: cannot be combined with to (a diff between two revisions)');
        const revs = [...(from === undefined ? [] : [checkRev(from, 'from')]), ...(to === undefined ? [] : [checkRev(to, 'to')])];
        return text(await gitText(top, ['diff', ...SAFE_DIFF, ...(staged ? ['--cached'] : []), '--end-of-options', ...revs, '--', ...checkPaths(paths, top)], o, signal));
      },
    }),
    defineTool({
      name: 'git_show', description: 'One commit (message and patch) or object (e.g. "HEAD~1", "v1.0:README.md"). Long output is cut with a marker.',
      input: z.object({ repo: repoArg, ref: z.string().default('HEAD').describe('The revision or object. Default: HEAD') }),
      annotations: read,
      run: async ({ repo, ref }, { signal }) => text(await gitText(checkRepo(repo, o.roots), ['show', ...SAFE_DIFF, '--no-show-signature', '--format=fuller', '--end-of-options', checkRev(ref, 'ref')], o, signal)),
    }),
    defineTool({
      name: 'git_branch', description: 'The branches of a repository (local; remote-tracking ones too with all), the current one marked.',
      input: z.object({ repo: repoArg, all: z.boolean().default(false).describe('Include remote-tracking branches') }),
      output: z.object({ current: z.string().nullable(), branches: z.array(z.object({ name: z.string(), commit: z.string(), subject: z.string(), current: z.boolean() })) }),
      annotations: read,
      run: async ({ repo, all }, { signal }) => {
        const out = await gitText(checkRepo(repo, o.roots), ['branch', '--list', '--no-color', ...(all ? ['--all'] : []), '--format=%(HEAD)%1f%(refname:short)%1f%(objectname)%1f%(contents:subject)'], o, signal);
        const branches = out.stdout.split('\n').filter(Boolean).map((line) => {
          const [head = '', name = '', commit = '', subject = ''] = line.split('\x1f');
          return { name, commit, subject, current: head === '*' };
        });
        return { current: branches.find((b) => b.current)?.name ?? null, branches };
      },
    }),
  ];
}
