/**
 * Config a hostile repository's .git/config (or a file it includes) could use to make git run a
 * program, overridden on every command line (`-c` beats every config file). Commands we never
 * run are left out: nothing here fetches or pushes (core.sshCommand, credential.helper,
 * remote.*.uploadpack) or merges (merge.*.driver), and the cage has no network anyway.
 */
export const FIXED_OVERRIDES: readonly string[] = [
  'core.fsmonitor=false', // a hook command git status and diff would start
  'core.hooksPath=/dev/null', // hooks (pre-commit, post-commit, ...) never run
  'core.pager=cat', // also --no-pager and GIT_PAGER; pager.<cmd> is covered by --no-pager
  'core.editor=true', // never needed (git_commit passes -m); GIT_EDITOR says the same
  'sequence.editor=true',
  'diff.external=', // also --no-ext-diff on every diff-producing command
  'log.showSignature=false', // would run gpg.program on git log/show
  'commit.gpgSign=false', // would run gpg.program on git commit (also --no-gpg-sign)
  'gpg.program=false',
  'gpg.ssh.program=false',
  'gpg.x509.program=false',
  'gc.auto=0', // commit's automatic gc/maintenance: not a program of the repo's, but work nobody asked for
  'maintenance.auto=false',
  'submodule.recurse=false', // a submodule's own config is not neutralised: do not descend
  'diff.ignoreSubmodules=all',
  'status.submoduleSummary=false',
  'core.untrackedCache=false',
  'protocol.allow=never',
];

/** Config keys whose value is a program, named after a driver the repo chooses (`filter.<x>.clean`). */
const DRIVER_KEY = /^(filter\.(.+)\.(clean|smudge|process)|diff\.(.+)\.(textconv|command)|merge\.(.+)\.driver)$/s;

/**
 * The `-c` overrides for the drivers a repository's config defines (`git config --list
 * --name-only` output, NUL separated): each program emptied, each filter made optional, so
 * .gitattributes can select them but nothing runs. A driver name a `-c` cannot spell (it holds
 * `=` or a newline) is refused rather than left alive.
 */
export function driverOverrides(names: string): string[] {
  const out: string[] = [];
  for (const key of names.split('\0')) {
    const match = DRIVER_KEY.exec(key);
    if (!match) continue;
    if (/[=\n]/.test(key)) throw new Error(`the repository's config defines a driver git cannot be told to disable safely: ${JSON.stringify(key)}`);
    out.push(`${key}=`);
    if (match[2] !== undefined) out.push(`filter.${match[2]}.required=false`);
  }
  return out;
}

/** `-c a=b -c c=d` as argv. */
export function configArgs(pairs: readonly string[]): string[] {
  return pairs.flatMap((pair) => ['-c', pair]);
}
