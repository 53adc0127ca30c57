import type { SandboxProfile } from '../config/sandbox-profile.js';

export interface DiskBounds {
  sizes: { tmpBytes?: number; scratchBytes?: number };
  enforced: string[];
  notEnforced: string[];
}

const MIB = 1024 * 1024;

/**
 * How much a server may write. /tmp is always a tmpfs private to the sandbox; `tmpMb` caps it. The
 * default scratch (HOME) becomes a tmpfs of `scratchMb` inside the sandbox rather than a bind of
 * the host directory, since a host directory has no size limit a non-privileged gateway could set
 * (quotas need a prepared filesystem). A configured `scratch` is a host directory that outlives
 * the process by design, so it stays a bind, reported as not capped.
 *
 * @example
 * diskBounds({ scratch: undefined, limits: { tmpMb: 256, scratchMb: 512 } });
 * // { sizes: { tmpBytes: 268435456, scratchBytes: 536870912 }, enforced: ['disk: /tmp ...', 'disk: scratch ...'], notEnforced: [] }
 */
export function diskBounds(profile: Pick<SandboxProfile, 'scratch' | 'limits'>, bwrapVersion?: string): DiskBounds {
  const { tmpMb, scratchMb } = profile.limits;
  const out: DiskBounds = { sizes: {}, enforced: [], notEnforced: [] };
  if (!supportsSize(bwrapVersion)) {
    const why = `bwrap ${bwrapVersion ?? '(version unknown)'} has no --size (0.7.0 added it)`;
    if (tmpMb !== undefined) out.notEnforced.push(`disk: /tmp ${tmpMb} MiB: ${why}`);
    if (profile.scratch === undefined && scratchMb !== undefined) out.notEnforced.push(`disk: scratch ${scratchMb} MiB: ${why}; the scratch directory is a host directory`);
    return out;
  }
  if (tmpMb !== undefined) {
    out.sizes.tmpBytes = tmpMb * MIB;
    out.enforced.push(`disk: /tmp is a private tmpfs of ${tmpMb} MiB (counted in the memory limit)`);
  } else out.notEnforced.push('disk: /tmp is a private tmpfs without a size (tmpMb is null): up to half the host memory');
  if (profile.scratch !== undefined) {
    out.notEnforced.push(`disk: the scratch directory ${profile.scratch} is a host directory, not size-capped (use a filesystem quota)`);
  } else if (scratchMb !== undefined) {
    out.sizes.scratchBytes = scratchMb * MIB;
    out.enforced.push(`disk: the scratch directory (HOME) is a private tmpfs of ${scratchMb} MiB, gone with the process (counted in the memory limit)`);
  } else out.notEnforced.push('disk: the scratch directory (HOME) is a host directory without a size cap (scratchMb is null)');
  return out;
}

/**
 * `bwrap --size` (a tmpfs size) exists from 0.7.0 on; older versions refuse the option and would
 * not start. A version that could not be read counts as recent: a wrong guess fails loudly at spawn.
 */
export function supportsSize(version: string | undefined): boolean {
  const m = /^(\d+)\.(\d+)/.exec(version ?? '');
  if (!m) return true;
  const [major, minor] = [Number(m[1]), Number(m[2])];
  return major > 0 || minor >= 7;
}
