import type { Result } from '@modelcontextprotocol/server';
import type { ClientChannel } from '../upstream/client-channel.js';

/** Where a request came in: the aggregated endpoint, or one server's own endpoint (unprefixed). */
/** `inline`: the server is one an /rpc request described (its targets are authorized as such, see policy-engine.ts). */
export type RequestScope = { kind: 'aggregate' } | { kind: 'server'; server: string; inline?: true };

/** Who is calling: the HTTP layer's authenticated principal, or the one the chain's authentication assigns. */
export interface Principal {
  id: string;
  roles: string[];
  claims?: Record<string, unknown>;
  /** OAuth scopes the credential carries (JWT `scope`/`scp`, or an API key's configured scopes). */
  scopes?: string[];
  /** How the principal was established. */
  via?: 'api-key' | 'jwt' | 'anonymous' | 'stdio';
}

/** The inbound session a request belongs to. */
export interface SessionInfo {
  id?: string;
  era: 'legacy' | 'modern';
  /** `rest` and `rpc`: one plain HTTP request, no MCP session (src/inbound/direct-call.ts). */
  transport: 'streamable-http' | 'stdio' | 'sse' | 'rest' | 'rpc';
}

/**
 * The parsed view of one MCP request that every policy reads instead of re-parsing the body
 * (method, tool name, resource URI, session, principal), plus the hooks a handler needs to talk
 * back to the caller while the request runs.
 */
export interface CallContext {
  readonly method: string;
  params: Record<string, unknown>;
  readonly scope: RequestScope;
  readonly toolName?: string;
  readonly promptName?: string;
  readonly resourceUri?: string;
  readonly session: SessionInfo;
  principal?: Principal;
  /** Aborted when the client cancels or disconnects. */
  readonly signal: AbortSignal;
  /** Sends `notifications/progress` for this request, when the caller asked for progress. */
  readonly progress?: (p: { progress: number; total?: number; message?: string }) => void;
  /**
   * A 2026-07-28 request's envelope (`io.modelcontextprotocol/*` keys of `_meta`: client
   * capabilities, client info, log level), which the SDK lifts out of `params._meta`.
   */
  readonly envelope?: Record<string, unknown>;
  /** The way back to the calling client (server-to-client requests and related notifications). */
  readonly channel?: ClientChannel;
  /**
   * The inbound HTTP request's headers, when it came over HTTP, for its trace context: the Node
   * request's header record under Node, the Web Headers elsewhere (src/protocol/trace-carrier.ts).
   */
  readonly headers?: Headers | Readonly<Record<string, string | string[] | undefined>>;
  /** The request's JSON-RPC id (unique only within its session). */
  readonly rpcId?: string | number;
  /** Per-request scratch space for policies (timings, decisions). */
  readonly state: Map<string, unknown>;
  /**
   * Observability's record of this request (src/observability/request-record.ts), set when it
   * starts recording: a slot of its own rather than a `state` entry, read five times per request
   * on the hot path. Copies of the context made while the request runs carry it.
   */
  observation?: unknown;
  /**
   * Set on a request the HTTP layer admitted before the SDK parsed it (protocol/admission.ts):
   * the chain's end awaits it until the SDK's handler for the message takes the run over, having
   * filled in the rest of the context (signal, progress, channel, envelope). Absent elsewhere.
   */
  readonly handOver?: () => Promise<void>;
  /**
   * The request this one was made inside: an `execute_code` call, for each tool call its program
   * makes. Such a call runs the whole chain again as the same principal and session; code mode
   * serves it as a plain MCP request, and its span is a child of the outer one.
   */
  readonly parent?: CallContext;
}

/** A request policy: continue with `next()`, answer itself, or throw an OutletError. */
export type Middleware = (ctx: CallContext, next: () => Promise<Result>) => Promise<Result>;

/** The terminal step of the chain: the router. */
export type Handler = (ctx: CallContext) => Promise<Result>;
