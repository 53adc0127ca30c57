import type { SpawnSpec } from './spawn-spec.js';
import { buildBubblewrapSpawn } from './build-bubblewrap-spawn.js';
import { buildUnsandboxedSpawn } from './build-unsandboxed-spawn.js';
import { parseContainerEntry } from '../config/container-entry.js';
import { buildContainerSpawn } from './container-spawn.js';
import type { SandboxProfile } from '../config/sandbox-profile.js';
import type { SandboxedSpawn, SandboxSupport, SpawnHooks } from './types.js';

/**
 * Picks the builder: a `docker run`/`podman run` entry is caged by its container whatever the
 * backend (bubblewrap would hide the engine's socket from the CLI); any other by the profile's backend.
 *
 * @example
 * const result = buildSandboxedSpawn(spec, profile, detectSandboxSupport());
 */
export function buildSandboxedSpawn(spec: SpawnSpec, profile: SandboxProfile, support: SandboxSupport, hooks: SpawnHooks = {}): SandboxedSpawn {
  const container = parseContainerEntry(spec.command, spec.args);
  if (container) return buildContainerSpawn(container, spec, profile);
  if (profile.backend === 'none') return buildUnsandboxedSpawn(spec, profile, profile.backendReason ?? 'sandbox.backend is "none"');
  return buildBubblewrapSpawn(spec, profile, support, hooks);
}
