import { existsSync, lstatSync, readlinkSync } from 'node:fs';
import { hideOps } from './hide-plan.js';
import type { SandboxMount } from '../config/sandbox-schema.js';

/** One filesystem operation inside the sandbox, in bwrap's terms. */
export type MountOp =
  /** `source`: where the host files are bound from when not `path` itself (see reach-plan.ts). */
  | { kind: 'ro' | 'rw'; path: string; source?: string }
  | { kind: 'symlink'; path: string; target: string }
  | { kind: 'tmpfs'; path: string; sizeBytes?: number; mode?: number }
  | { kind: 'dir'; path: string }
  | { kind: 'proc' | 'dev'; path: string };

export interface MountInputs {
  network: 'none' | 'host';
  /** Directories the server needs read-only to start (runtime, its own files, cwd). */
  serverReadOnly: string[];
  /** Data directories named as arguments, bound writable unless `mounts` says otherwise. */
  serverReadWrite?: string[];
  mounts: SandboxMount[];
  scratch: string;
  /** Size of the private /tmp; absent: the kernel's default (half the host's memory). */
  tmpBytes?: number;
  /** Present: the scratch dir is a tmpfs of this size inside the sandbox instead of a bind of the host dir. */
  scratchBytes?: number;
  /** Files the server must not see even where a bind would show them (see hide-plan.ts). */
  hidden?: string[];
}

/** The base system: programs and libraries, CA certificates, and the targets of /usr/bin's alternatives. */
const SYSTEM_PATHS = ['/usr', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/etc/ssl', '/etc/alternatives'];
/** Name resolution, only worth exposing when there is a network to resolve names on. */
const NETWORK_PATHS = ['/etc/resolv.conf', '/etc/hosts', '/etc/nsswitch.conf'];
/** usr-merged systems make these symlinks into /usr; recreating the link keeps paths identical. */
const TOP_LEVEL_LINKS = new Set(['/bin', '/sbin', '/lib', '/lib32', '/lib64']);

/**
 * Orders every mount so that parents come before children (bwrap applies them in argument order
 * and a later bind covers an earlier one). Automatic read-only binds already covered by a parent
 * bind are dropped; explicit mounts and data directories are kept even inside another, so `ro`
 * inside `rw` holds, and so does a writable workspace inside a read-only project.
 *
 * @example
 * planMounts({ network: 'none', serverReadOnly: ['/srv/app'], mounts: [], scratch: '/tmp/s1' });
 * // [{ kind: 'ro', path: '/usr' }, ..., { kind: 'tmpfs', path: '/tmp' }, { kind: 'rw', path: '/tmp/s1' }]
 */
export function planMounts(inputs: MountInputs): MountOp[] {
  const tmp: MountOp = { kind: 'tmpfs', path: '/tmp', ...(inputs.tmpBytes !== undefined ? { sizeBytes: inputs.tmpBytes } : {}) };
  const ops: MountOp[] = [{ kind: 'proc', path: '/proc' }, { kind: 'dev', path: '/dev' }, tmp];
  const system = [...SYSTEM_PATHS, ...(inputs.network === 'host' ? NETWORK_PATHS : [])];
  for (const path of system) {
    const link = TOP_LEVEL_LINKS.has(path) ? linkTarget(path) : undefined;
    if (link !== undefined) ops.push({ kind: 'symlink', path, target: link });
    else if (existsSync(path)) ops.push({ kind: 'ro', path });
  }
  const explicit = new Map<string, 'ro' | 'rw'>();
  for (const m of inputs.mounts) explicit.set(m.path, explicit.get(m.path) === 'rw' ? 'rw' : m.mode);
  // A configured mount of the same path wins: `{ path, mode: 'ro' }` keeps a data directory read-only.
  // A gateway file named as an argument is not bound for it: only a configured mount shows one.
  const hidden = new Set(inputs.hidden ?? []);
  for (const path of inputs.serverReadWrite ?? []) if (!explicit.has(path) && !hidden.has(path)) explicit.set(path, 'rw');
  if (inputs.scratchBytes === undefined) explicit.set(inputs.scratch, 'rw');
  for (const path of inputs.serverReadOnly) {
    if (hidden.has(path) || explicit.has(path) || isCovered(path, ops) || isCovered(path, [...explicit.keys()].map((p) => ({ kind: 'ro', path: p })))) continue;
    ops.push({ kind: 'ro', path });
  }
  for (const [path, mode] of explicit) ops.push({ kind: mode, path });
  if (inputs.scratchBytes !== undefined) ops.push({ kind: 'tmpfs', path: inputs.scratch, sizeBytes: inputs.scratchBytes });
  // After every bind, so a bind of the same directory comes first and is covered (the sort is stable).
  if (inputs.hidden && inputs.hidden.length > 0) ops.push(...hideOps(ops, inputs.hidden));
  return sortParentsFirst(ops);
}

function linkTarget(path: string): string | undefined {
  try {
    return lstatSync(path).isSymbolicLink() ? readlinkSync(path) : undefined;
  } catch {
    return undefined;
  }
}

function isCovered(path: string, ops: MountOp[]): boolean {
  return ops.some((op) => (op.kind === 'ro' || op.kind === 'rw') && isInside(path, op.path));
}

/** True when `path` is `parent` or below it. */
export function isInside(path: string, parent: string): boolean {
  return path === parent || path.startsWith(parent.endsWith('/') ? parent : `${parent}/`);
}

/** Stable sort by depth: `/tmp` (tmpfs) lands before a scratch dir under it, `/srv` before `/srv/data`. */
function sortParentsFirst(ops: MountOp[]): MountOp[] {
  const depth = (p: string): number => p.split('/').filter(Boolean).length;
  return ops.map((op, i) => ({ op, i })).sort((a, b) => depth(a.op.path) - depth(b.op.path) || a.i - b.i).map((x) => x.op);
}
