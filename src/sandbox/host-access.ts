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
  return blockingDirectory(path, owner) === undefined && allows(path, owner, want);
}

/**
 * The first directory above `path` that `owner` may not search, or undefined when every one may
 * be: what stops the sandbox's uid reaching a checkout under /root (mode 0700) or any `mktemp -d`.
 *
 * @example
 * blockingDirectory('/root/app', { uid: 65534, gid: 65534 }); // '/root'
 */
export function blockingDirectory(path: string, owner: SandboxOwner): string | undefined {
  const ancestors: string[] = [];
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    ancestors.unshift(dir);
    if (dir === dirname(dir)) break;
  }
  return ancestors.find((dir) => !allows(dir, owner, 'x'));
}

/** Whether `owner` may use `path` itself as `want` says (its own mode bits), whatever its parents say. */
export function allows(path: string, owner: SandboxOwner, want: string): boolean {
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
 * A path in `reached` is bound by the gateway itself (see reach-plan.ts): only its own mode counts,
 * not its parents'. Otherwise a parent that blocks is named with the fix, rather than the path.
 *
 * @example
 * accessWarnings({ uid: 65534, gid: 65534 }, ['/root/app'], ['/srv/data']);
 */
export function accessWarnings(owner: SandboxOwner, readOnly: string[], readWrite: string[], searchOnly: string[] = [], reached: ReadonlySet<string> = new Set()): string[] {
  const who = `uid ${owner.uid}`;
  const out: string[] = [];
  const blocked = (path: string): boolean => {
    if (reached.has(path)) return false;
    const dir = blockingDirectory(path, owner);
    if (dir === undefined) return false;
    out.push(`${who} cannot reach ${path}: ${dir} (${describe(dir)}) blocks it, and the gateway could not bind it itself (it needs util-linux's unshare, setpriv and mount, and no LD_* variable in the server's env): let that uid pass through with \`setfacl -m u:${owner.uid}:x ${dir}\` (or \`chmod o+x ${dir}\`), or move the files elsewhere`);
    return true;
  };
  for (const path of readOnly) {
    if (blocked(path)) continue;
    // A file is read (a script needs no execute bit: node reads it); a directory is listed and entered.
    if (!allows(path, owner, isDirectory(path) ? 'rx' : 'r')) out.push(`${who} cannot read ${path} (${describe(path)}); the server may fail to load its files: make it readable, or set sandbox.uid/gid`);
  }
  for (const path of searchOnly) {
    if (!blocked(path) && !allows(path, owner, 'x')) out.push(`${who} cannot enter ${path} (${describe(path)}): make it searchable (o+x), or set sandbox.uid/gid`);
  }
  for (const path of readWrite) {
    if (blocked(path)) continue;
    if (!allows(path, owner, 'rwx')) out.push(`${who} cannot write ${path} (${describe(path)}), which is bound read-write as the server's data: the outlet does not change an existing directory's owner; \`chown ${owner.uid}:${owner.gid} ${path}\`, or set sandbox.uid/gid to its owner, or name a directory that does not exist yet (the outlet creates it for uid ${owner.uid})`);
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
