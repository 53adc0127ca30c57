import { existsSync, realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';

/**
 * The real path of `path` (absolute, or relative to `base`), symlinks followed. A path that does
 * not exist yet is the real path of its nearest existing parent plus the rest, so a name that
 * would be created through a symlinked folder is judged where it would really land.
 */
export function realPathOf(path: string, base: string): string {
  let head = isAbsolute(path) ? resolve(path) : resolve(base, path);
  const rest: string[] = [];
  while (!existsSync(head)) {
    const parent = dirname(head);
    if (parent === head) break;
    rest.unshift(basename(head));
    head = parent;
  }
  return join(realpathSync(head), ...rest);
}

/** Whether `real` (a real path) is one of `roots` (real paths) or inside one. */
export function isInside(real: string, roots: readonly string[]): boolean {
  return roots.some((root) => {
    const rel = relative(root, real);
    return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
  });
}

/** The configured roots as real paths (a root that does not exist is kept as written). */
export function realRoots(roots: readonly string[]): string[] {
  return roots.map((root) => (existsSync(root) ? realpathSync(root) : resolve(root)));
}

/**
 * `path` made real and checked against the roots; throws naming `argument` when it falls outside.
 *
 * @example
 * insideRoots('../etc', ['/srv/work'], '/srv/work', 'cwd'); // throws: cwd: "../etc" is outside the roots
 */
export function insideRoots(path: string, roots: readonly string[], base: string, argument: string): string {
  const real = realPathOf(path, base);
  if (!isInside(real, roots)) throw new Error(`${argument}: "${path}" is outside the configured roots (${roots.join(', ')})`);
  return real;
}
