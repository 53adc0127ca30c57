import type { SpawnSpec } from './spawn-spec.js';
import type { SandboxProfile } from '../config/sandbox-profile.js';
import type { SandboxedSpawn } from './types.js';

/**
 * The `backend: 'none'` result: the spec untouched, every protection listed as not enforced, and a
 * warning the gateway must log at warn level or above. `why` says how we got here (configured,
 * defaulted, or a fallback) so the operator knows what to change.
 *
 * @example
 * const r = buildUnsandboxedSpawn(spec, profile, 'sandbox.backend is "none"');
 * logger.warn(r.warning);
 */
export function buildUnsandboxedSpawn(spec: SpawnSpec, profile: SandboxProfile, why: string): SandboxedSpawn {
  const uid = process.getuid?.();
  const who = uid === 0 ? 'as root' : `as uid ${uid ?? 'unknown'}`;
  const notEnforced = [
    `filesystem: the server sees every file the gateway can (it runs ${who})`,
    `network: the host network (requested: ${typeof profile.network === 'object' ? `only ${profile.network.allow.join(', ') || 'nothing'} through the egress proxy` : profile.network})`,
    'namespaces: none (no pid, ipc, uts, user or cgroup isolation)',
    'capabilities: inherited from the gateway',
    `environment: only the entry's env is passed (allowlist not applied by a sandbox)`,
  ];
  const { limits } = profile;
  for (const [name, value] of Object.entries(limits)) {
    if (value !== undefined && name !== 'wallClockSeconds' && name !== 'outputBytesPerSecond') notEnforced.push(`${name} ${value}: no backend to apply it`);
  }
  if (limits.wallClockSeconds !== undefined) notEnforced.push(`wall clock ${limits.wallClockSeconds} s: left to the supervisor`);
  if (limits.outputBytesPerSecond !== undefined) notEnforced.push(`output ${limits.outputBytesPerSecond} B/s: left to the transport`);
  return {
    spec,
    cleanup: () => undefined,
    enforced: [],
    notEnforced,
    warning: `SANDBOX DISABLED for "${spec.command}": ${why}. The server runs unconfined ${who} with the gateway's files and network. To confine it, set sandbox.backend to "bubblewrap" and install bubblewrap (apt-get install bubblewrap).`,
    supervise: {
      ...(limits.wallClockSeconds !== undefined ? { wallClockSeconds: limits.wallClockSeconds } : {}),
      ...(limits.outputBytesPerSecond !== undefined ? { outputBytesPerSecond: limits.outputBytesPerSecond } : {}),
    },
  };
}
