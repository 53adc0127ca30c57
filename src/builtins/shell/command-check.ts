import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { insideRoots } from '../roots.js';

/** Characters a shell would give meaning to: their presence means the caller expected a shell. */
const SHELL_CHARS = /[\s;&|<>$`\\"'*?(){}[\]!#~]/;

/**
 * The test seam: `OUTLET_BUILTIN_UNSAFE_TEST_SHELL=1` in the server's environment turns off the
 * command and argument checks, so a test can show that the sandbox alone still holds. The gateway
 * passes it only when an entry's `sandbox.env` names it.
 */
export const UNSAFE_TEST_ENV = 'OUTLET_BUILTIN_UNSAFE_TEST_SHELL';

export interface CommandRules {
  allow: readonly string[];
  deny: readonly string[];
}

/** The executable a bare name resolves to on PATH, or undefined. */
export function whichCommand(name: string, path = process.env.PATH ?? '/usr/bin:/bin'): string | undefined {
  for (const dir of path.split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // Not here.
    }
  }
  return undefined;
}

/** Checks `command` (a bare name, allowed, not denied, found) and returns its path. */
export function checkCommand(command: string, rules: CommandRules): string {
  if (SHELL_CHARS.test(command)) {
    throw new Error(`command: "${command}" holds spaces or shell characters; no shell runs here: give the program's bare name in command and each argument as its own string in args (e.g. { "command": "ls", "args": ["-l", "src"] })`);
  }
  if (command.includes('/')) throw new Error(`command: "${command}" is a path; give a bare command name from the allowlist`);
  if (rules.deny.includes(command)) throw new Error(`command: "${command}" is on the deny list`);
  if (!rules.allow.includes(command)) throw new Error(`command: "${command}" is not on the allowlist (${rules.allow.join(', ')})`);
  const found = whichCommand(command);
  if (!found) throw new Error(`command: "${command}" is allowed but not found on PATH`);
  return found;
}

/**
 * What can be checked of arguments without knowing each program's syntax: an argument that is an
 * absolute path or holds a `..` segment, or the value after `=` of an option written `--opt=VALUE`,
 * must resolve (symlinks followed) inside the roots. A relative name without `..` stays below the
 * cwd, which is inside the roots. Anything subtler (a program that builds paths itself) is the
 * sandbox's to stop: only the roots are mounted.
 */
export function checkArgs(args: readonly string[], roots: readonly string[], cwd: string): void {
  args.forEach((arg, i) => {
    const eq = arg.startsWith('-') ? arg.indexOf('=') : -1;
    for (const value of eq > 0 ? [arg, arg.slice(eq + 1)] : [arg]) {
      if (!(value.startsWith('/') || /(^|\/)\.\.(\/|$)/.test(value))) continue;
      if (value === arg && arg.startsWith('-') && eq > 0) continue;
      insideRoots(value, roots, cwd, `args[${i}]`);
    }
  });
}
