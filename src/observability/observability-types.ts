import type { AuditSink } from './audit.js';
import type { Logger } from './logger.js';
import type { BreakerStateName } from './metrics.js';
import type { ObservabilityConfig, ObservabilityInput } from '../config/observability-schema.js';
import type { ConsoleSource, ObservedUpstreamStatus } from './observed-upstream.js';
import type { TraceFilter, TraceSummary, TraceTree } from './trace-store.js';

/** The parts of the Gateway observability reads; the Gateway object itself fits. */
export interface GatewayLike {
  supervisor: {
    get(name: string): { console: ConsoleSource; config: object } | undefined;
    status(): readonly ObservedUpstreamStatus[];
  };
  /** The merged catalog, to keep the `tool` label to known tools. Without it every tool is "other". */
  currentCatalog?: () => {
    serverTool(server: string, name: string): unknown;
    resolveTool(published: string): { server: string; name: string };
  };
  /** The config (its `source` anchors a relative audit path). */
  config?: { source?: string };
}

export interface InstallObservabilityOptions {
  logger: Logger;
  /** The `observability` config section, parsed or raw (defaults are filled either way). */
  config?: ObservabilityInput | ObservabilityConfig;
  gatewayLike: GatewayLike;
  /** A server's circuit breaker state (`supervisor.breakerState`), for `outlet_circuit_breaker_state`. */
  breakerState?: (server: string) => BreakerStateName | undefined;
  /** The audit stream's destination instead of `audit.path` (tests, or an application's own sink). */
  auditSink?: AuditSink;
}

/** A running observability setup: query functions for the HTTP routes and the CLI, and `close()`. */
export interface ObservabilityHandle {
  readonly config: ObservabilityConfig;
  /** True when traces are kept in process (GET /api/traces answers). */
  readonly keepsTraces: boolean;
  readonly metricsEnabled: boolean;
  /** Recent traces, newest first (empty when traces are not kept in process). */
  listTraces(filter?: TraceFilter): TraceSummary[];
  /** One trace as a span tree, or undefined. */
  getTrace(traceId: string): TraceTree | undefined;
  /** Prometheus text exposition (empty when metrics are off). */
  metricsText(): Promise<string>;
  readonly metricsContentType: string;
  /** Exports spans still batched (OTLP). */
  flush(): Promise<void>;
  /** Unsubscribes from the channels, flushes and stops the exporter, closes the audit file. */
  close(): Promise<void>;
}

/** A policy's verdict on a request, recorded as a span event and in the audit record. */
export interface PolicyDecision {
  /** The policy: "authn", "authz", "rate-limit", "validation", "cache", ... */
  policy: string;
  /** "allow", "deny", "hit", "miss", ... */
  decision: string;
  reason?: string;
  [key: string]: string | number | boolean | undefined;
}

