export { buildBubblewrapSpawn } from './build-bubblewrap-spawn.js';
export { buildSandboxedSpawn } from './build-sandboxed-spawn.js';
export { buildUnsandboxedSpawn } from './build-unsandboxed-spawn.js';
export { detectSandboxSupport } from './detect-support.js';
export { resolveSandboxProfile, type ResolveOptions } from '../config/resolve-sandbox-profile.js';
export { DEFAULT_SANDBOX_ID, type SandboxNetwork, type SandboxProfile } from '../config/sandbox-profile.js';
export { createSandboxWrapper, type SandboxWrapper, type SandboxWrapperHooks } from './sandbox-wrapper.js';
export {
  sandboxLimitsSchema,
  sandboxMountSchema,
  sandboxNetworkSchema,
  sandboxProfileSchema,
  type SandboxLimits,
  type SandboxMount,
  type SandboxProfileInput,
} from '../config/sandbox-schema.js';
export type { CgroupV1Controller, EgressRefusal, SandboxedSpawn, SandboxSupport, SandboxUsage, SpawnHooks, SuperviseLimits } from './types.js';
export { startEgressProxy, type EgressProxy, type EgressProxyOptions } from './egress-proxy.js';
export { parseEgressRule, parseEgressRules, DEFAULT_EGRESS_PORTS, type EgressRule } from '../config/egress-rules.js';
export { armWallClock } from './wall-clock.js';
