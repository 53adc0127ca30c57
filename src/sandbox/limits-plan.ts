import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCgroup, removeCgroup } from './cgroup-group.js';
import type { SandboxLimits } from '../config/sandbox-schema.js';
import type { CgroupV1Controller, SandboxSupport, SandboxUsage, SuperviseLimits } from './types.js';

/** The CFS period the CPU quota is expressed against: the kernel's default of 100 ms. */
const CPU_PERIOD_US = 100_000;

export interface LimitsPlan {
  /** `cgroup.procs` files the launcher writes its pid into before exec. */
  joinFiles: string[];
  /** `prlimit` options (without the program and `--`), empty when no rlimit applies. */
  prlimitArgs: string[];
  enforced: string[];
  notEnforced: string[];
  supervise: SuperviseLimits;
  /** Reads the counters of the cgroups created here; call before `release`. */
  usage(): SandboxUsage;
  /** Removes the cgroups created here. */
  release(): void;
}

/**
 * Decides how each limit is applied on this host and creates the cgroups it needs. Per limit:
 * memory needs a cgroup (RLIMIT_AS breaks Node's V8, sandbox.md); pids prefers a pids cgroup, which
 * counts this tree only, over RLIMIT_NPROC, which counts every process of the uid host-wide and is
 * ignored for root; `cpus` is a cgroup CPU quota; CPU seconds and open files are per-process rlimits; wall clock and output rate are
 * handed to the supervisor and transport.
 *
 * @example
 * const plan = planLimits({ memoryMb: 256, pids: 64 }, support, 'a1', { uid: 65534, gid: 65534 });
 * // plan.joinFiles: ['/sys/fs/cgroup/memory/.../a1/cgroup.procs', '/sys/fs/cgroup/pids/.../a1/cgroup.procs']
 */
export function planLimits(limits: SandboxLimits, support: SandboxSupport, id: string, owner?: { uid: number; gid: number }): LimitsPlan {
  const groups: string[] = [];
  let memoryGroup: string | undefined;
  const plan: LimitsPlan = {
    joinFiles: [],
    prlimitArgs: [],
    enforced: [],
    notEnforced: [],
    supervise: {},
    usage: () => (memoryGroup ? { oomKills: oomKills(memoryGroup) } : {}),
    release: () => groups.splice(0).forEach((dir) => removeCgroup(dir)),
  };
  const cgroup = (controller: CgroupV1Controller | undefined, settings: Record<string, string>): boolean => {
    if (!controller?.usable || !support.sh) return false;
    const group = createCgroup(controller, id, settings, owner);
    groups.push(group.dir);
    plan.joinFiles.push(group.procs);
    return true;
  };
  const rlimit = (option: string, value: number): boolean => {
    if (!support.prlimit) return false;
    plan.prlimitArgs.push(`--${option}=${value}`);
    return true;
  };
  try {
    if (limits.memoryMb !== undefined) {
      const bytes = String(limits.memoryMb * 1024 * 1024);
      if (cgroup(support.cgroup.v1.memory, { 'memory.limit_in_bytes': bytes, 'memory.memsw.limit_in_bytes': bytes })) {
        memoryGroup = groups[groups.length - 1];
        plan.enforced.push(`memory: ${limits.memoryMb} MiB for the whole tree (cgroup v1 memory; the kernel OOM-kills inside it)`);
      } else plan.notEnforced.push(`memory ${limits.memoryMb} MiB: no cgroup v1 memory controller we can create groups in (${whyNot(support.cgroup.v1.memory, support)}); RLIMIT_AS is not used because it breaks Node`);
    }
    if (limits.pids !== undefined) {
      if (cgroup(support.cgroup.v1.pids, { 'pids.max': String(limits.pids) })) {
        plan.enforced.push(`pids: ${limits.pids} tasks for the whole tree (cgroup v1 pids)`);
      } else if (owner && rlimit('nproc', limits.pids)) {
        plan.enforced.push(`pids: ${limits.pids} via RLIMIT_NPROC, counted across every process of uid ${owner.uid} on the host (no pids cgroup: ${whyNot(support.cgroup.v1.pids, support)})`);
      } else plan.notEnforced.push(`pids ${limits.pids}: no pids cgroup, and RLIMIT_NPROC would count the gateway's own uid`);
    }
    if (limits.cpus !== undefined) {
      // CFS bandwidth (sched-bwc.rst): `quota` µs of CPU per `period` µs, across all CPUs of the tree.
      const quota = String(Math.round(limits.cpus * CPU_PERIOD_US));
      if (cgroup(support.cgroup.v1.cpu, { 'cpu.cfs_period_us': String(CPU_PERIOD_US), 'cpu.cfs_quota_us': quota })) {
        plan.enforced.push(`cpu: ${limits.cpus} core(s) for the whole tree (cgroup v1 CPU quota; slowed down, not killed)`);
      } else plan.notEnforced.push(`cpu ${limits.cpus} core(s): no cgroup v1 cpu controller we can create groups in (${whyNot(support.cgroup.v1.cpu, support)})`);
    }
    if (limits.cpuSeconds !== undefined) {
      if (rlimit('cpu', limits.cpuSeconds)) plan.enforced.push(`cpu: ${limits.cpuSeconds} s per process (RLIMIT_CPU)`);
      else plan.notEnforced.push(`cpu ${limits.cpuSeconds} s: prlimit (util-linux) not found`);
    }
    if (limits.openFiles !== undefined) {
      if (rlimit('nofile', limits.openFiles)) plan.enforced.push(`open files: ${limits.openFiles} per process (RLIMIT_NOFILE)`);
      else plan.notEnforced.push(`open files ${limits.openFiles}: prlimit (util-linux) not found`);
    }
  } catch (err) {
    plan.release();
    throw err;
  }
  if (limits.wallClockSeconds !== undefined) {
    plan.supervise.wallClockSeconds = limits.wallClockSeconds;
    plan.notEnforced.push(`wall clock ${limits.wallClockSeconds} s: left to the supervisor (host-side SIGKILL, see supervise.wallClockSeconds)`);
  }
  if (limits.outputBytesPerSecond !== undefined) {
    plan.supervise.outputBytesPerSecond = limits.outputBytesPerSecond;
    plan.notEnforced.push(`output ${limits.outputBytesPerSecond} B/s: left to the transport (see supervise.outputBytesPerSecond)`);
  }
  return plan;
}

/** The kernel's count of OOM kills in a v1 memory group (`oom_kill` in memory.oom_control, Linux 4.13+). */
function oomKills(dir: string): number | undefined {
  try {
    const m = /^oom_kill (\d+)$/m.exec(readFileSync(join(dir, 'memory.oom_control'), 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

function whyNot(controller: CgroupV1Controller | undefined, support: SandboxSupport): string {
  if (!support.root) return 'the gateway is not root';
  if (!controller) return 'controller not mounted as cgroup v1';
  if (!support.sh) return '/bin/sh not found';
  return controller.error ?? 'not usable';
}
