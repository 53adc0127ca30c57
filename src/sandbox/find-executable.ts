import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';

/**
 * Resolves a command the way `execvp` would: a name with a slash is taken as a path (relative ones
 * against `cwd`), a bare name is looked up in `PATH`. Returns undefined when nothing executable is
 * found. Used so the sandbox binds the directory the command really lives in.
 *
 * @example
 * findExecutable('bwrap', process.env.PATH); // '/usr/bin/bwrap'
 */
export function findExecutable(command: string, pathVar: string | undefined, cwd = process.cwd()): string | undefined {
  if (command.includes('/')) {
    const full = isAbsolute(command) ? command : resolve(cwd, command);
    return isExecutableFile(full) ? full : undefined;
  }
  for (const dir of (pathVar ?? '').split(delimiter)) {
    if (!dir) continue;
    const full = join(isAbsolute(dir) ? dir : resolve(cwd, dir), command);
    if (isExecutableFile(full)) return full;
  }
  return undefined;
}

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
