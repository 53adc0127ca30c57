import { chownSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ScratchDir {
  path: string;
  /** Deletes the directory when we created it; a configured one is left alone. Idempotent. */
  remove(): void;
}

/**
 * The server's private writable directory, also its HOME. Without a configured path it is a fresh
 * `mcp-outlet-*` dir under the OS temp dir, mode 0700, owned by the sandbox ids so the dropped uid
 * can write it and other local users cannot look in. A configured path is created if missing and
 * kept on exit (it is where a server keeps state between runs).
 *
 * @example
 * const scratch = createScratchDir(undefined, { uid: 65534, gid: 65534 });
 * // ... later, after the process exits:
 * scratch.remove();
 */
export function createScratchDir(configured: string | undefined, owner?: { uid: number; gid: number }): ScratchDir {
  if (configured !== undefined) {
    const existed = existsSync(configured);
    if (!existed) mkdirSync(configured, { recursive: true, mode: 0o700 });
    // Only a directory we just made is chowned: an existing one keeps the owner the operator chose.
    if (!existed && owner) chownSync(configured, owner.uid, owner.gid);
    return { path: configured, remove: () => undefined };
  }
  const path = mkdtempSync(join(tmpdir(), 'mcp-outlet-'));
  let removed = false;
  try {
    if (owner) chownSync(path, owner.uid, owner.gid);
  } catch (err) {
    rmSync(path, { recursive: true, force: true });
    throw err;
  }
  return {
    path,
    remove() {
      if (removed) return;
      removed = true;
      rmSync(path, { recursive: true, force: true, maxRetries: 2 });
    },
  };
}
