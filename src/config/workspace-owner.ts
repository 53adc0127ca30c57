import { lchownSync, lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Hands the default config's workspace to the sandbox ids: a root gateway starts its sandboxed
 * servers as an unprivileged uid (65534 by default), which could not write a root-owned workspace.
 * Only what root owns is changed (an entry someone gave another owner keeps it), symlinks are
 * changed themselves and never followed, and nothing happens unless the gateway is root. This is
 * for the workspace the outlet made for itself; a directory named in a config file is never chowned
 * (the operator grants access, see README "Sandbox").
 *
 * @example
 * handToSandbox('/srv/outlet/workspace', { uid: 65534, gid: 65534 });
 */
export function handToSandbox(dir: string, owner: { uid: number; gid: number }): void {
  if (process.getuid?.() !== 0) return;
  const visit = (path: string): void => {
    const st = lstatSync(path);
    if (st.uid === 0) lchownSync(path, owner.uid, owner.gid);
    if (st.isDirectory()) for (const name of readdirSync(path)) visit(join(path, name));
  };
  visit(dir);
}
