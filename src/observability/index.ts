export { annotateRequest, installObservability, recordPolicyDecision, requestLogFields } from './install.js';
export type { GatewayLike, InstallObservabilityOptions, ObservabilityHandle, PolicyDecision } from './install.js';
export { observabilitySchema, parseObservabilityConfig } from '../config/observability-schema.js';
export type { ObservabilityConfig, ObservabilityInput } from '../config/observability-schema.js';
export { Redactor, REDACTED, shapeOf } from '../shared/redact.js';
export type { SpanNode, StoredSpan, TraceFilter, TraceSummary, TraceTree } from './trace-store.js';
