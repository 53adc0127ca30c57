import { realpathSync } from 'node:fs';
import { isAbsolute, resolve, sep } from 'node:path';

/** Test seam: set only by the cage test, to show the sandbox holds when this check is gone. */
export const UNSAFE_TEST_ENV = 'OUTLET_BUILTIN_UNSAFE_TEST_FILES_NO_ROOT_CHECK';

/** A path inside one root: the root's real path and the names below it. */
export interface Confined {
  root: string;
  names: string[];
  /** The path as shown to the caller (root + names). */
  path: string;
}

export class Roots {
  readonly list: string[];

  constructor(configured: string[]) {
    // The real path of each root: a root that is itself a link is followed once, here, by the operator's word.
    this.list = configured.map((root) => {
      try {
        return realpathSync(root);
      } catch {
        throw new Error(`files: root "${root}" does not exist or cannot be reached`);
      }
    });
  }

  /**
   * Where `input` (absolute, or relative to the first root) lies, lexically: no NUL, no `..`, inside
   * a root. Symbolic links are refused later, component by component, as the path is opened.
   */
  locate(input: string, argument: string): Confined {
    if (input.includes('\0')) throw new Error(`${argument}: the path contains a NUL character`);
    if (input.trim() === '') throw new Error(`${argument}: the path is empty`);
    if (input.split(/[\\/]/).includes('..')) throw new Error(`${argument}: "${input}" contains "..": paths may not climb out of a folder`);
    const full = resolve(this.list[0]!, input);
    if (process.env[UNSAFE_TEST_ENV] === '1') return { root: '/', names: full.split(sep).filter(Boolean), path: full };
    for (const root of this.list) {
      if (full === root) return { root, names: [], path: root };
      const prefix = root.endsWith(sep) ? root : `${root}${sep}`;
      if (full.startsWith(prefix)) return { root, names: full.slice(prefix.length).split(sep).filter(Boolean), path: full };
    }
    const how = isAbsolute(input) ? 'is outside' : 'resolves outside';
    throw new Error(`${argument}: "${input}" ${how} the allowed roots (${this.list.join(', ')})`);
  }
}
