import { closeSync, constants, existsSync, lstatSync, mkdirSync, openSync } from 'node:fs';
import type { Confined } from './confine.js';

const { O_RDONLY, O_DIRECTORY, O_NOFOLLOW } = constants;

/**
 * Opening through `/proc/self/fd/<dir>/<name>` is openat(2) for Node: each name is looked up in
 * the folder already opened, never again from the root, so a folder swapped for a link after it
 * was checked cannot redirect the walk. Where /proc is missing (not Linux) the walk falls back to
 * plain paths checked with lstat first, which a concurrent swap can race.
 */
const PROC_FD = existsSync('/proc/self/fd');

/** An opened folder: its descriptor, its path as shown, and how to name an entry in it. */
export interface Dir {
  fd: number;
  path: string;
  at(name: string): string;
  close(): void;
}

function dirOf(fd: number, path: string): Dir {
  return { fd, path, at: (name) => (PROC_FD ? `/proc/self/fd/${fd}/${name}` : `${path}/${name}`), close: () => closeSync(fd) };
}

/** Why opening `name` failed, in words that name the path. */
export function explain(err: unknown, shown: string, argument: string): Error {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ELOOP' || code === 'EMLINK') return new Error(`${argument}: "${shown}" is a symbolic link; links are not followed`);
  if (code === 'ENOENT') return new Error(`${argument}: "${shown}" does not exist`);
  if (code === 'ENOTDIR') return new Error(`${argument}: "${shown}" is not a folder`);
  if (code === 'EACCES' || code === 'EPERM') return new Error(`${argument}: "${shown}" cannot be opened (permission denied)`);
  if (code === 'EROFS') return new Error(`${argument}: "${shown}" is on a read-only mount`);
  return new Error(`${argument}: "${shown}": ${(err as Error).message}`);
}

function openDirAt(parent: Dir | undefined, name: string, shown: string, argument: string): Dir {
  const path = parent ? parent.at(name) : name;
  try {
    if (!PROC_FD && lstatSync(path).isSymbolicLink()) throw Object.assign(new Error('link'), { code: 'ELOOP' });
    return dirOf(openSync(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW), shown);
  } catch (err) {
    // A link to a folder fails O_NOFOLLOW with ENOTDIR on some kernels: say what it really is.
    if ((err as NodeJS.ErrnoException).code === 'ENOTDIR' && isLink(path)) throw explain({ code: 'ELOOP' }, shown, argument);
    throw explain(err, shown, argument);
  }
}

export function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

/**
 * Opens the folder `names` (below `root`) one name at a time without following a link anywhere.
 * `create`: missing folders are made on the way (write_file's createParents).
 */
export function openDir(target: Pick<Confined, 'root' | 'names'>, argument: string, create = false): Dir {
  let dir = openDirAt(undefined, target.root, target.root, argument);
  for (const name of target.names) {
    const shown = `${dir.path === '/' ? '' : dir.path}/${name}`;
    let next: Dir;
    try {
      if (create && !existsSync(dir.at(name)) && !isLink(dir.at(name))) mkdirSync(dir.at(name), { mode: 0o755 });
      next = openDirAt(dir, name, shown, argument);
    } catch (err) {
      dir.close();
      throw err instanceof Error && err.message.startsWith(argument) ? err : explain(err, shown, argument);
    }
    dir.close();
    dir = next;
  }
  return dir;
}

/** Opens the folder holding `target` and gives the last name: what every single-file tool needs. */
export function openParent(target: Confined, argument: string, create = false): { dir: Dir; name: string } {
  if (target.names.length === 0) throw new Error(`${argument}: "${target.path}" is a root folder, not a file`);
  const dir = openDir({ root: target.root, names: target.names.slice(0, -1) }, argument, create);
  return { dir, name: target.names[target.names.length - 1]! };
}
