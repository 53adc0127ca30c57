import { readdirSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { isInside, type MountOp } from './mount-plan.js';

/** The tmpfs laid over a directory that holds a hidden file: read-only to the server, and tiny. */
const VEIL_BYTES = 64 * 1024;
const VEIL_MODE = 0o555;

/**
 * Mounts that take files out of the sandbox's view although a bind would show them: the gateway's
 * own files (its config, with every server's secrets, its lock and audit files) often sit in a
 * directory a server gets bound, because its script or its default cwd is there.
 *
 * Binding /dev/null over each file is not enough: a bind is attached to the file's directory
 * entry, and the kernel drops it when that entry is replaced (an editor's atomic save, the lock
 * file's rename) while the server runs, showing the new file. So the directory holding a hidden
 * file is covered instead by a small read-only tmpfs, and every other entry in it is bound back
 * one by one, with the mode of the bind that showed the directory. The server sees what was there
 * at spawn, with live contents, minus the hidden files and anything added later. An entry that
 * resolves to a hidden file (a symlink to the config) is left out too.
 *
 * @example
 * hideOps([{ kind: 'ro', path: '/srv/app' }], ['/srv/app/outlet.json']);
 * // [{ kind: 'tmpfs', path: '/srv/app', ... }, { kind: 'ro', path: '/srv/app/server.js' }, ...]
 */
export function hideOps(ops: MountOp[], hidden: string[]): MountOp[] {
  const targets = new Set(hidden.flatMap((path) => [path, real(path)]).filter((p): p is string => p !== undefined));
  const taken = new Set(ops.map((op) => op.path));
  const dirs = [...new Set([...targets].map((path) => dirname(path)))].sort((a, b) => a.length - b.length);
  const added: MountOp[] = [];
  for (const dir of dirs) {
    const mode = coveringMode(dir, ops);
    if (mode === undefined || added.some((op) => op.kind === 'tmpfs' && op.path === dir)) continue;
    let entries: string[];
    try {
      entries = readdirSync(dir);
    } catch {
      continue; // a directory we cannot list cannot be rebuilt; it is not a hidden file's anyway
    }
    added.push({ kind: 'tmpfs', path: dir, sizeBytes: VEIL_BYTES, mode: VEIL_MODE });
    for (const name of entries) {
      const path = join(dir, name);
      if (targets.has(path) || taken.has(path)) continue;
      const resolved = real(path);
      if (resolved === undefined || targets.has(resolved)) continue;
      added.push({ kind: mode, path });
    }
  }
  return added;
}

/** The mode of the deepest bind that shows `dir`, or undefined when none does. */
function coveringMode(dir: string, ops: MountOp[]): 'ro' | 'rw' | undefined {
  let best: { depth: number; mode: 'ro' | 'rw' } | undefined;
  for (const op of ops) {
    if ((op.kind !== 'ro' && op.kind !== 'rw') || !isInside(dir, op.path)) continue;
    if (!best || op.path.length >= best.depth) best = { depth: op.path.length, mode: op.kind };
  }
  return best?.mode;
}

function real(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}
