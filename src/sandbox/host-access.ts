import { statSync } from 'node:fs';
import { dirname } from 'node:path';

/** The ids a root gateway starts a sandboxed server under. */
export interface SandboxOwner {
  uid: number;
  gid: number;
}

const BITS = { r: 4, w: 2, x: 1 } as const;

/**
 * Whether `owner` (with no supplementary groups, as the sandbox starts it) may use `path` as `want`
 * says, judged from mode bits: search permission on every ancestor, then the wanted bits on the
 * path itself. ACLs are not read; the answer is for warnings and choices, the kernel still decides.
 *
 * @example
 * canAccess('/tmp/outlet-x', { uid: 65534, gid: 65534 }, 'rwx'); // false for a root-owned 0700 dir
 */
export function canAccess(path: string, owner: SandboxOwner, want: string): boolean {
  const ancestors: string[] = [];
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    ancestors.push(dir);
    if (dir === dirname(dir)) break;
  }
  return ancestors.every((dir) => allows(dir, owner, 'x')) && allows(path, owner, want);
}

function allows(path: string, owner: SandboxOwner, want: string): boolean {
  let st;
  try {
    st = statSync(path);
  } catch {
    return false;
  }
  const shift = st.uid === owner.uid ? 6 : st.gid === owner.gid ? 3 : 0;
  const granted = (st.mode >> shift) & 7;
  return [...want].every((c) => (granted & BITS[c as keyof typeof BITS]) !== 0);
}

/**
 * Warnings for paths the sandbox binds but its uid cannot use: a read-only code path it cannot
 * enter (the server will fail to load), a data directory it cannot write (the server's writes fail
 * with EACCES), a directory it only passes through (`searchOnly`, such as the egress socket's
 * 0711 directory) it cannot search. Only meaningful when the gateway is root and drops to `owner`.
 *
 * @example
 * accessWarnings({ uid: 65534, gid: 65534 }, ['/root/app'], ['/srv/data']);
 */
export function accessWarnings(owner: SandboxOwner, readOnly: string[], readWrite: string[], searchOnly: string[] = []): string[] {
  const who = `uid ${owner.uid}`;
  const out: string[] = [];
  for (const path of readOnly) {
    // A file is read (a script needs no execute bit: node reads it); a directory is listed and entered.
    if (!canAccess(path, owner, isDirectory(path) ? 'rx' : 'r')) out.push(`${who} cannot read ${path} (${describe(path)}); the server may fail to load its files: make it readable, or set sandbox.uid/gid`);
  }
  for (const path of searchOnly) {
    if (!canAccess(path, owner, 'x')) out.push(`${who} cannot reach ${path} (${describe(path)}): make every directory above it searchable (o+x), or set sandbox.uid/gid`);
  }
  for (const path of readWrite) {
    if (!canAccess(path, owner, 'rwx')) out.push(`${who} cannot write ${path} (${describe(path)}), which is bound read-write as the server's data: chown ${owner.uid}:${owner.gid} it, or set sandbox.uid/gid to its owner`);
  }
  return out;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function describe(path: string): string {
  try {
    const st = statSync(path);
    return `owner ${st.uid}:${st.gid}, mode ${(st.mode & 0o777).toString(8).padStart(3, '0')}`;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code ?? 'unreadable';
  }
}
