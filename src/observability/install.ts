import type { InstallObservabilityOptions, ObservabilityHandle } from './observability-types.js';
import { parseObservabilityConfig } from '../config/observability-schema.js';
import { Observer } from './observer.js';

export type { ConsoleSource, GatewayLike, InstallObservabilityOptions, ObservabilityHandle, PolicyDecision } from './observability-types.js';
export { annotateRequest, fixedDecision, recordPolicyDecision, requestLogFields } from './request-record.js';

/**
 * Subscribes tracing, metrics, request logs and audit to the outlet's lifecycle channels
 * (`src/observability/channels.ts`). The channels are process-wide: install one per process.
 */
export function installObservability(options: InstallObservabilityOptions): ObservabilityHandle {
  const config = parseObservabilityConfig(options.config);
  return new Observer(config, options).handle();
}
