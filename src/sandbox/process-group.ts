import { spawn, type ChildProcessWithoutNullStreams, type ChildProcess } from 'node:child_process';
import type { Writable } from 'node:stream';
import type { SpawnSpec } from './spawn-spec.js';

/** How long stdout may keep draining after the process exited (a grandchild may hold the pipe). */
export const DRAIN_MS = 250;

/**
 * Starts `spec` with piped stdio, no shell, as the leader of a new process group (`detached`), so
 * that signalling `-pid` reaches everything it starts, and under the spec's uid/gid if given.
 *
 * A spawn that fails for want of descriptors (EMFILE, ENFILE) or memory returns a child with no pid
 * and no stdio streams, and emits 'error' on the next tick; an 'error' event nobody listens to
 * ends the whole gateway. So a listener is attached here, before any caller can throw on the
 * missing streams, and the streams' own errors (EPIPE on a dead pipe) are kept from crashing too.
 * Callers still see the error through their own listeners and `spawnFailure`.
 *
 * @example
 * const child = spawnGroupLeader({ command: 'node', args: ['server.js'], env: {}, cwd: '/srv' });
 */
export function spawnGroupLeader(spec: SpawnSpec): ChildProcessWithoutNullStreams {
  const child = spawn(spec.command, spec.args, {
    cwd: spec.cwd,
    env: spec.env,
    shell: false,
    detached: true,
    stdio: spec.fd3 ? ['pipe', 'pipe', 'pipe', 'pipe'] : ['pipe', 'pipe', 'pipe'],
    windowsHide: true,
    ...(spec.uid !== undefined ? { uid: spec.uid } : {}),
    ...(spec.gid !== undefined ? { gid: spec.gid } : {}),
  }) as ChildProcessWithoutNullStreams;
  child.on('error', ignore);
  for (const stream of [child.stdin, child.stdout, child.stderr] as Array<NodeJS.EventEmitter | null | undefined>) stream?.on('error', ignore);
  if (spec.fd3) offer(child.stdio[3] as Writable | null, spec.fd3);
  return child;
}

function ignore(): void {
  // the owner of the child reports the error; this listener only keeps it from being fatal
}

/**
 * Writes `bytes` into the child's end of an extra pipe and lets go of ours. A reader that is gone
 * (the child failed to start) is not an error here: the exit of the child reports that.
 */
function offer(pipe: Writable | null, bytes: Uint8Array): void {
  if (!pipe) return;
  pipe.on('error', () => undefined);
  pipe.end(bytes, () => pipe.destroy());
}

/**
 * Whether a just-spawned child never got its stdio: the spawn failed before any stream was made
 * (Node then emits only 'error'), so the caller must wait for that error instead of using streams.
 */
export function spawnFailedEarly(child: ChildProcess): boolean {
  return child.pid === undefined && (!child.stdin || !child.stdout || !child.stderr);
}

/**
 * Signals a child's whole process group (it was spawned `detached`, so it leads one), falling back
 * to the child alone when the group is already gone.
 *
 * @example
 * signalGroup(child, 'SIGTERM');
 */
export function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
  }
}

/**
 * Calls `ended` once when a group-leading child is gone for good: at its exit the rest of its group
 * is killed (a crash leaves no orphans; the sandbox's pid namespace does the same for its tree),
 * then stdout gets `DRAIN_MS` to deliver what the server wrote before dying. A pipe still held open
 * after that (by a process that left the group) is destroyed rather than waited on, so callers learn
 * of the death within a fraction of a second. A child that never started emits `close` alone.
 *
 * @example
 * whenGone(child, (code, signal) => transport.end(code, signal));
 */
export function whenGone(child: ChildProcess, ended: (code: number | null, signal: NodeJS.Signals | null) => void): void {
  let done = false;
  let drained: NodeJS.Timeout | undefined;
  const finish = (code: number | null, signal: NodeJS.Signals | null): void => {
    if (done) return;
    done = true;
    clearTimeout(drained);
    ended(code, signal);
  };
  child.once('exit', (code, signal) => {
    signalGroup(child, 'SIGKILL');
    drained = setTimeout(() => {
      child.stdout?.destroy();
      child.stderr?.destroy();
      finish(code, signal);
    }, DRAIN_MS);
  });
  child.once('close', finish);
}
