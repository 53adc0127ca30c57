import { isAbsolute } from 'node:path';
import { OutletError } from '../errors/index.js';
import { parseEgressRule } from './egress-rules.js';
import { withDefaultLimits } from './sandbox-default-limits.js';
import { sandboxHost, type SandboxHost } from './sandbox-host.js';
import { DEFAULT_SANDBOX_ID, type SandboxProfile } from './sandbox-profile.js';
import type { SandboxProfileInput } from './sandbox-schema.js';

export interface ResolveOptions {
  /** The gateway-wide `sandbox` block; a server's own keys win over it, `limits` merge key by key. */
  defaults?: SandboxProfileInput;
  /** The host facts the default backend depends on; default: what the installed probe measures (sandbox-host.ts). */
  support?: SandboxHost;
  /** The gateway's own files, absolute (see `SandboxProfile.hide`). */
  hide?: string[];
}

/**
 * Merges a server's sandbox block over the gateway default and fills in the rest. Throws
 * CONFIG_INVALID for what cannot be honoured as written, so the config loader can report it with
 * the entry's name instead of the server failing later at spawn.
 *
 * @example
 * const profile = resolveSandboxProfile({ network: 'host' }, { defaults: { limits: { pids: 64 } } });
 * // { backend: 'bubblewrap', network: 'host', limits: { pids: 64 }, uid: 65534, ... }
 */
export function resolveSandboxProfile(input: SandboxProfileInput = {}, options: ResolveOptions = {}): SandboxProfile {
  const defaults = options.defaults ?? {};
  const merged: SandboxProfileInput = { ...defaults, ...input, limits: { ...defaults.limits, ...input.limits } };
  const network = merged.network ?? 'none';
  if (typeof network === 'object') {
    // The schema reports bad entries at their paths; this catches a profile built by hand, before
    // a spawn would fail on it.
    for (const [i, entry] of network.allow.entries()) {
      const parsed = parseEgressRule(entry);
      if ('problem' in parsed) throw invalid(`sandbox.network.allow[${i}] "${entry}": ${parsed.problem}`, { entry });
    }
  }
  for (const [i, mount] of (merged.mounts ?? []).entries()) {
    if (!isAbsolute(mount.path)) throw invalid(`sandbox.mounts[${i}].path must be an absolute path, got "${mount.path}"`, { path: mount.path });
  }
  if (merged.scratch !== undefined && !isAbsolute(merged.scratch)) {
    throw invalid(`sandbox.scratch must be an absolute path, got "${merged.scratch}"`, { path: merged.scratch });
  }
  return {
    ...backendOf(merged, options.support),
    allowFallback: merged.allowFallback ?? false,
    mounts: merged.mounts ?? [],
    autoMounts: merged.autoMounts ?? true,
    ...(merged.scratch !== undefined ? { scratch: merged.scratch } : {}),
    env: merged.env ?? [],
    network: typeof network === 'object' ? { allow: [...network.allow] } : network,
    hide: [...(options.hide ?? [])],
    seccomp: merged.seccomp ?? true,
    limits: withDefaultLimits(merged.limits ?? {}),
    uid: merged.uid ?? DEFAULT_SANDBOX_ID,
    gid: merged.gid ?? DEFAULT_SANDBOX_ID,
  };
}

/** The host is asked only when the profile names no backend: a config that names one never runs bwrap. */
function backendOf(merged: SandboxProfileInput, support?: SandboxHost): Pick<SandboxProfile, 'backend' | 'backendReason'> {
  if (merged.backend) return { backend: merged.backend };
  const bwrap = (support ?? sandboxHost()).bwrap;
  if (bwrap.usable) return { backend: 'bubblewrap' };
  return { backend: 'none', backendReason: `no backend was configured and bubblewrap is unusable (${bwrap.error ?? 'unknown'})` };
}

/** A profile that cannot be honoured as written: a config problem, reported at the entry. */
function invalid(message: string, data: Record<string, unknown>): OutletError {
  return new OutletError('CONFIG_INVALID', message, data);
}
