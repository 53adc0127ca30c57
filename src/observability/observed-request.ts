import type { Carrier } from './spans.js';

/**
 * The shapes of the messages observability reads, declared here, in the lower layer, with only
 * the fields it reads (the way undici's diagnostics_channel messages are documented, not
 * imported): the policy chain's CallContext and the router's UpstreamCall fit them as they are,
 * and observability depends on neither.
 */

/** Where observability keeps its record of a request on the request's own object (CallContext.observation). */
export interface ObservationSlot {
  /** Observability's record of the request (request-record.ts), set when it starts recording. */
  observation?: unknown;
}

/** Who made the request, as far as logs, spans and the audit record name it. */
export interface ObservedPrincipal {
  readonly id: string;
  readonly roles: string[];
}

/** One inbound MCP request, as observability reads it (the policy chain's CallContext fits). */
export interface ObservedRequest extends ObservationSlot {
  readonly method: string;
  readonly params: Record<string, unknown>;
  /** The aggregated endpoint, or one server's own endpoint. */
  readonly scope: { readonly kind: 'aggregate' } | { readonly kind: 'server'; readonly server: string };
  readonly toolName?: string;
  readonly promptName?: string;
  readonly resourceUri?: string;
  readonly session: { readonly id?: string; readonly era: string; readonly transport: string };
  readonly principal?: ObservedPrincipal;
  /** The inbound HTTP request's headers, when it came over HTTP: their trace context wins over `_meta`'s. */
  readonly headers?: Carrier;
  /** The request's JSON-RPC id, when the context carries one (checked before it is recorded). */
  readonly rpcId?: unknown;
  /** The request this one was made inside (a code-mode program's tool call): its span is this one's parent. */
  readonly parent?: ObservationSlot;
}
