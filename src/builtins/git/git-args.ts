import { existsSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { insideRoots } from '../roots.js';

/**
 * A revision as a caller may write one: a name, a hash, `HEAD~2`, `main^{tree}`, `v1.0:path`.
 * Never one starting with `-` (git would read it as an option: `--output=/tmp/x` writes a file),
 * never whitespace or control characters; every command also passes `--end-of-options` before it.
 */
const REV = /^[A-Za-z0-9_@][A-Za-z0-9_./~^@{}:+-]{0,255}$/;

export function checkRev(rev: string, argument: string): string {
  if (rev.startsWith('-')) throw new Error(`${argument}: "${rev}" starts with "-", which git would read as an option; refused`);
  if (!REV.test(rev) || rev.includes('..')) throw new Error(`${argument}: "${rev}" is not a revision this tool accepts (a name, hash or HEAD~n; no "..", spaces or shell characters; at most 256 characters)`);
  return rev;
}

/** The repository a call names (default: the first root): inside a root, with its own .git folder. */
export function checkRepo(repo: string | undefined, roots: readonly string[], argument = 'repo'): string {
  const real = insideRoots(repo ?? roots[0]!, roots, roots[0]!, argument);
  const dotGit = join(real, '.git');
  // A .git file (a linked worktree or submodule) points elsewhere, possibly outside the roots: not followed.
  if (!existsSync(dotGit) || !statSync(dotGit).isDirectory()) throw new Error(`${argument}: "${repo ?? roots[0]}" is not a git repository (no .git folder at its top)`);
  return real;
}

/** Paths inside the repository, given relative to its top (or absolute inside it), as git pathspecs. */
export function checkPaths(paths: readonly string[] | undefined, repo: string, argument = 'paths'): string[] {
  return (paths ?? []).map((path, i) => {
    const real = insideRoots(path, [repo], repo, `${argument}[${i}]`);
    const rel = relative(repo, real);
    return rel === '' ? '.' : rel.split(sep).join('/');
  });
}
