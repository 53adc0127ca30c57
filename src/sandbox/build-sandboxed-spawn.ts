import type { SpawnSpec } from '../upstream/stdio-transport.js';
import { buildBubblewrapSpawn } from './build-bubblewrap-spawn.js';
import { buildUnsandboxedSpawn } from './build-unsandboxed-spawn.js';
import type { SandboxedSpawn, SandboxProfile, SandboxSupport, SpawnHooks } from './types.js';

/**
 * Picks the builder for the profile's backend.
 *
 * @example
 * const result = buildSandboxedSpawn(spec, profile, detectSandboxSupport());
 */
export function buildSandboxedSpawn(spec: SpawnSpec, profile: SandboxProfile, support: SandboxSupport, hooks: SpawnHooks = {}): SandboxedSpawn {
  if (profile.backend === 'none') return buildUnsandboxedSpawn(spec, profile, profile.backendReason ?? 'sandbox.backend is "none"');
  return buildBubblewrapSpawn(spec, profile, support, hooks);
}
