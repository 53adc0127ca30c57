import { existsSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { eventually, processesOf, startCaged, support } from './caged-server.js';

/** A uid no other test uses, so "nothing left running as it" is about this test alone. */
const BOMB_UID = 64_801;

/** The cgroup dirs the launcher joins, read from the wrapped command line. */
function cgroupDirs(args: string[]): string[] {
  return args.filter((a) => a.endsWith('/cgroup.procs')).map((a) => dirname(a));
}

// Needs a working bubblewrap (.ci/run installs it): without one these tests fail, naming why.
describe('resource limits on a sandboxed server', () => {
  it('runs where bubblewrap works (.ci/run installs it)', () => {
    expect(support.bwrap.usable, support.bwrap.error ?? 'bwrap is not usable').toBe(true);
  });

  it('stops a fork bomb at the pids limit and leaves no process behind', async () => {
    const caged = await startCaged('fork-bomb.mjs', { uid: BOMB_UID, gid: BOMB_UID, limits: { pids: 40 } });
    const pidsLine = caged.sandbox.enforced.find((l) => l.startsWith('pids:'));
    if (!pidsLine) {
      // No pids cgroup and no dedicated uid to count (gateway not root): the limit must say so.
      expect(caged.sandbox.notEnforced.join('\n')).toMatch(/^pids 40:/m);
      await caged.close();
      return;
    }
    const outcome = await caged.call('fork_bomb', { max: 300 });
    console.log(`fork bomb: ${String(outcome.started)} sleepers started, then ${String(outcome.firstError)}`);
    // Node itself holds about a dozen tasks (threads count), so fewer than 40 sleepers start.
    expect(outcome).toMatchObject({ ok: true, firstError: 'EAGAIN' });
    expect(outcome.started as number).toBeLessThan(40);
    if (support.root) expect(processesOf(BOMB_UID).length).toBeGreaterThan(outcome.started as number);
    const groups = cgroupDirs(caged.sandbox.spec.args);
    await caged.close();
    // The pid namespace dies with bwrap; give the host a moment to reap what it killed.
    expect(await eventually(() => processesOf(BOMB_UID).length === 0)).toBe(true);
    expect(await eventually(() => groups.every((g) => !existsSync(g)))).toBe(true);
  });

  // The RLIMIT_NPROC fallback needs root (to drop to a dedicated uid) and prlimit: CI runs as root
  // with util-linux's prlimit, so the test asserts both rather than skipping without them.
  it('without a pids cgroup falls back to RLIMIT_NPROC for a dedicated uid', async () => {
    expect(support.root, 'the fallback drops to a dedicated uid: run as root').toBe(true);
    expect(support.prlimit, 'prlimit (util-linux) is needed').toBeDefined();
    const noPidsCgroup = { ...support, cgroup: { ...support.cgroup, v1: { ...support.cgroup.v1, pids: undefined } } };
    const caged = await startCaged('fork-bomb.mjs', { uid: BOMB_UID + 1, gid: BOMB_UID + 1, limits: { pids: 40 } }, {}, noPidsCgroup);
    expect(caged.sandbox.enforced.join('\n')).toMatch(/^pids: 40 via RLIMIT_NPROC/m);
    const outcome = await caged.call('fork_bomb', { max: 300 });
    expect(outcome).toMatchObject({ ok: true, firstError: 'EAGAIN' });
    expect(outcome.started as number).toBeLessThan(40);
    await caged.close();
    expect(await eventually(() => processesOf(BOMB_UID + 1).length === 0)).toBe(true);
  });

  it('applies per-process rlimits for open files and CPU time', async () => {
    const caged = await startCaged('identity-probe.mjs', { limits: { openFiles: 128, cpuSeconds: 30 } });
    try {
      if (!support.prlimit) {
        expect(caged.sandbox.notEnforced.join('\n')).toMatch(/prlimit \(util-linux\) not found/);
        return;
      }
      const { limits } = await caged.call('whoami');
      expect(limits).toMatch(/^Max open files\s+128\s+128\s/m);
      expect(limits).toMatch(/^Max cpu time\s+30\s+30\s/m);
    } finally {
      await caged.close();
    }
  });

  it('kills a memory hog at the memory limit where cgroup v1 memory is usable, else reports it not enforced', async () => {
    const caged = await startCaged('memory-hog.mjs', { limits: { memoryMb: 160 } });
    if (!support.cgroup.v1.memory?.usable) {
      // Hosts with only cgroup v2 (or no root): the limit is listed as not enforced, honestly.
      expect(caged.sandbox.notEnforced.join('\n')).toMatch(/^memory 160 MiB: no cgroup v1 memory controller/m);
      expect(caged.sandbox.enforced.join('\n')).not.toMatch(/memory:/);
      await caged.close();
      return;
    }
    // This branch ran on the development machine (cgroup v1 memory + pids, running as root).
    expect(caged.sandbox.enforced.join('\n')).toMatch(/^memory: 160 MiB for the whole tree/m);
    const [memoryGroup] = cgroupDirs(caged.sandbox.spec.args).filter((d) => d.includes('/memory/'));
    expect(memoryGroup).toBeDefined();
    await expect(caged.call('hog', { mb: 2048 })).rejects.toThrow();
    const exit = await caged.exited;
    expect(exit.code !== 0 || exit.signal !== null).toBe(true);
    const held = caged.stderr.map((l) => Number(/holding (\d+) MiB/.exec(l)?.[1] ?? 0));
    expect(Math.max(...held)).toBeGreaterThan(0);
    expect(Math.max(...held)).toBeLessThan(160);

    // Control: the same hog with no memory limit holds 320 MiB, so the kill above was the limit's.
    const free = await startCaged('memory-hog.mjs', {});
    try {
      expect(await free.call('hog', { mb: 320 })).toMatchObject({ ok: true, heldMb: 320 });
    } finally {
      await free.close();
    }
  });
});

describe('a memory limit on a host without cgroup v1 memory', () => {
  // Needs a working bubblewrap (.ci/run installs it): without one these tests fail, naming why.
  it('is listed as not enforced, never silently dropped', async () => {
    // Forces the branch CI hosts with only cgroup v2 take, on any machine.
    const noMemoryCgroup = { ...support, cgroup: { ...support.cgroup, v1: { ...support.cgroup.v1, memory: undefined } } };
    const caged = await startCaged('memory-hog.mjs', { limits: { memoryMb: 160 } }, {}, noMemoryCgroup);
    await caged.close();
    expect(caged.sandbox.notEnforced.join('\n')).toMatch(/^memory 160 MiB: no cgroup v1 memory controller .*RLIMIT_AS is not used/m);
    expect(caged.sandbox.spec.args.some((a) => a.includes('/memory/'))).toBe(false);
  });
});

describe('processesOf, which the fork-bomb test relies on', () => {
  it('finds this very process under its uid', () => {
    expect(readFileSync('/proc/self/status', 'utf8')).toMatch(/^Uid:/m);
    expect(processesOf(process.getuid?.() ?? 0)).toContain(process.pid);
  });
});
