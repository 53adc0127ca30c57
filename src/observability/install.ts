import type { InstallObservabilityOptions, ObservabilityHandle } from './observability-types.js';
import { parseObservabilityConfig } from '../config/observability-schema.js';
import { Observer } from './observer.js';

export type { GatewayLike, InstallObservabilityOptions, ObservabilityHandle, PolicyDecision } from './observability-types.js';
export type { ConsoleSource } from './observed-upstream.js';
export { fixedDecision, recordPolicyDecision } from './policy-decisions.js';
export { annotateRequest, requestLogFields } from './request-annotations.js';

/**
 * Subscribes tracing, metrics, request logs and audit to the outlet's lifecycle channels
 * (`src/observability/channels.ts`). The channels are process-wide: install one per process.
 */
export function installObservability(options: InstallObservabilityOptions): ObservabilityHandle {
  const config = parseObservabilityConfig(options.config);
  return new Observer(config, options).handle();
}
