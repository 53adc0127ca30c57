import { deniedSyscallNames, seccompArch, seccompProgram, type SeccompArch } from './seccomp-filter.js';
import type { SandboxProfile } from '../config/sandbox-profile.js';

export interface SeccompPlan {
  /** The compiled filter to hand bwrap; absent when none applies. */
  program?: Uint8Array;
  enforced?: string;
  notEnforced?: string;
}

const plans = new Map<SeccompArch, SeccompPlan>();

/**
 * Whether and how this spawn gets the seccomp filter, with the line that reports it. Both depend
 * only on the architecture, so they are made once per process.
 *
 * @example
 * seccompFor(profile); // { program: <Buffer ...>, enforced: 'seccomp (x86_64): 60 calls refused (...)' }
 */
export function seccompFor(profile: Pick<SandboxProfile, 'seccomp'>, nodeArch: string = process.arch): SeccompPlan {
  if (!profile.seccomp) return { notEnforced: 'seccomp: turned off by sandbox.seccomp: false' };
  const arch = seccompArch(nodeArch);
  if (!arch) return { notEnforced: `seccomp: no filter for this architecture (${nodeArch}; x86_64 and aarch64 have one)` };
  let plan = plans.get(arch);
  if (!plan) {
    plan = {
      program: seccompProgram(arch),
      enforced: `seccomp (${arch}): ${deniedSyscallNames(arch).length} calls refused (new namespaces, mounts, ptrace, kernel code, bpf, keyrings, file handles, host administration; listed in docs/sandbox.md), clone with namespace flags refused, other ABIs refused`,
    };
    plans.set(arch, plan);
  }
  return plan;
}
