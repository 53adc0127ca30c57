import { chmodSync, closeSync, mkdirSync, mkdtempSync, openSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findExecutable } from './find-executable.js';
import { blockingDirectory, canAccess, type SandboxOwner } from './host-access.js';
import type { MountOp } from './mount-plan.js';

/**
 * Runs as root in the launcher's own mount namespace: binds each `source target` pair given before
 * `--`, then execs the rest (setpriv, which drops to the sandbox ids). Exit 125: a bind failed.
 */
const REACH_SCRIPT = 'm="$1"; shift; while [ "$1" != -- ]; do "$m" --bind "$1" "$2" || exit 125; shift 2; done; shift; exec "$@"';
const SYSTEM_PATH = '/usr/bin:/bin:/usr/sbin:/sbin';

export interface ReachPlan {
  /** The mounts, those the sandbox uid could not reach now bound from their stand-in. */
  mounts: MountOp[];
  /** Host paths bound through a stand-in. */
  reached: Set<string>;
  /** Launchers to put in front of the chain (run as root); empty when nothing needed reaching. */
  prefix: string[];
  /** Removes the stand-in directory (the binds vanish with the launcher's mount namespace). */
  remove(): void;
}

/**
 * Makes the binds of a root gateway's sandbox reachable by its unprivileged uid without changing
 * the host. bwrap runs as that uid (as root, its `--uid` keeps root's file access), so a source
 * below a directory it may not search (a checkout in /root, mode 0700; any `mktemp -d`) fails with
 * "Can't find source path". `--bind-fd` does not help: bwrap still resolves the descriptor's path
 * (measured with bwrap 0.8). Instead the launcher starts as root in a mount namespace of its own
 * (`unshare --mount`, private propagation: nothing shows on the host), binds each such source onto
 * an empty stand-in directory the uid can reach, drops to the sandbox ids with `setpriv`, and bwrap
 * binds the stand-in onto the original path. The files themselves keep their owner and mode: only
 * the way to them is opened, and only inside that namespace.
 *
 * Not used (the caller warns instead, naming the directory that blocks) when a tool is missing or
 * the server's env sets a dynamic-loader variable: those first steps run as root with that env.
 *
 * @example
 * const reach = planReach(mounts, { uid: 65534, gid: 65534 }, env);
 * argv = [...reach.prefix, ...argv];
 */
export function planReach(mounts: MountOp[], owner: SandboxOwner, env: Record<string, string>): ReachPlan {
  const none: ReachPlan = { mounts, reached: new Set(), prefix: [], remove: () => undefined };
  const blocked = mounts.filter((op) => (op.kind === 'ro' || op.kind === 'rw') && blockingDirectory(op.path, owner) !== undefined);
  if (blocked.length === 0) return none;
  const tools = reachTools();
  if (!tools || Object.keys(env).some((name) => name.startsWith('LD_') || name === 'GCONV_PATH')) return none;
  const root = mkdtempSync(join(tmpdir(), 'outlet-reach-'));
  // Searchable, not listable: the sandbox uid passes through to its stand-ins, which stay empty on the host.
  chmodSync(root, 0o711);
  if (!canAccess(root, owner, 'x')) {
    rmSync(root, { recursive: true, force: true });
    return none;
  }
  const pairs: string[] = [];
  const reached = new Set<string>();
  const rewritten = mounts.map((op) => {
    if (!blocked.includes(op) || (op.kind !== 'ro' && op.kind !== 'rw')) return op;
    const standIn = join(root, String(reached.size));
    // A bind needs a target of the same kind: a directory for a directory, a file for a file.
    if (statSync(op.path).isDirectory()) mkdirSync(standIn);
    else closeSync(openSync(standIn, 'w', 0o600));
    pairs.push(op.path, standIn);
    reached.add(op.path);
    return { ...op, source: standIn };
  });
  const prefix = [
    tools.unshare, '--mount', '--propagation', 'private', '--',
    tools.sh, '-c', REACH_SCRIPT, 'mcp-outlet-reach', tools.mount, ...pairs, '--',
    tools.setpriv, `--reuid=${owner.uid}`, `--regid=${owner.gid}`, '--clear-groups', '--',
  ];
  return { mounts: rewritten, reached, prefix, remove: () => rmSync(root, { recursive: true, force: true }) };
}

let cached: { unshare: string; setpriv: string; mount: string; sh: string } | null | undefined;

function reachTools(): { unshare: string; setpriv: string; mount: string; sh: string } | null {
  if (cached !== undefined) return cached;
  const [unshare, setpriv, mount, sh] = ['unshare', 'setpriv', 'mount', 'sh'].map((name) => findExecutable(name, SYSTEM_PATH));
  cached = unshare && setpriv && mount && sh ? { unshare, setpriv, mount, sh } : null;
  return cached;
}
