import { chownSync, existsSync, mkdirSync, readFileSync, readdirSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CgroupV1Controller } from './types.js';

/** One cgroup created for one sandboxed process tree. */
export interface CgroupGroup {
  dir: string;
  /** The file a process writes its own pid into to join (cgroups(7): `cgroup.procs`). */
  procs: string;
}

/**
 * Creates `<parent>/<id>`, writes the limit files, and hands `cgroup.procs` to `owner` so the
 * unprivileged launcher can move itself in before it execs bwrap. Joining from the launcher, not
 * from the gateway after spawn, matters: v1 moves only the pid written, so anything forked before
 * the write (bwrap forks at once) would stay outside the limit. Delegating the file is safe because
 * the sandboxed tree never sees /sys (not mounted; no capability to mount it), and a process that
 * joins a group only gains limits.
 *
 * @example
 * const g = createCgroup(support.cgroup.v1.memory!, 'a1', { 'memory.limit_in_bytes': '268435456' }, { uid: 65534, gid: 65534 });
 */
export function createCgroup(controller: CgroupV1Controller, id: string, settings: Record<string, string>, owner?: { uid: number; gid: number }): CgroupGroup {
  const dir = join(controller.parent, id);
  mkdirSync(dir);
  try {
    for (const [file, value] of Object.entries(settings)) {
      const path = join(dir, file);
      // memsw exists only with swap accounting; its absence is not an error.
      if (file.includes('memsw') && !existsSync(path)) continue;
      writeFileSync(path, value);
    }
    const procs = join(dir, 'cgroup.procs');
    if (owner) chownSync(procs, owner.uid, owner.gid);
    return { dir, procs };
  } catch (err) {
    rmdirSync(dir);
    throw err;
  }
}

/**
 * Kills whatever is still in the group and removes it. The pid namespace normally took the tree
 * down already; a zombie not yet reaped keeps the group busy for a moment, so removal is retried
 * on a short unref'd timer instead of blocking.
 *
 * @example
 * removeCgroup(group.dir);
 */
export function removeCgroup(dir: string, attempts = 25): void {
  for (const pid of readPids(dir)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  try {
    rmdirSync(dir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || attempts <= 1) return;
    setTimeout(() => removeCgroup(dir, attempts - 1), 200).unref();
  }
}

/**
 * Removes groups left behind by a gateway that died without cleaning up (SIGKILL, power loss), so
 * they do not pile up across restarts. A group's name starts with its creator's pid (see
 * `buildBubblewrapSpawn`); groups of a live creator are left alone. A reused pid only delays a sweep.
 *
 * @example
 * sweepStaleCgroups('/sys/fs/cgroup/pids/mcp-outlet');
 */
export function sweepStaleCgroups(parent: string): void {
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch {
    return;
  }
  for (const name of names) {
    const creator = /^(\d+)-\d+-[0-9a-f]+$/.exec(name)?.[1];
    if (creator !== undefined && !isAlive(Number(creator))) removeCgroup(join(parent, name), 1);
  }
}

/** Whether a process of that pid exists (EPERM: it does, under another user). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readPids(dir: string): number[] {
  try {
    return readFileSync(join(dir, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}
