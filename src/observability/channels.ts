import { tracingChannel } from 'node:diagnostics_channel';
import type { CallContext } from '../policy/call-context.js';
import type { UpstreamCall } from '../upstream/interceptors/types.js';

/**
 * The outlet's lifecycle, published on `node:diagnostics_channel` tracing channels so tracing,
 * metrics and audit subscribe to it instead of being wired into every call site (the way undici
 * and Fastify expose theirs). With no subscriber a channel costs a flag check.
 *
 * Each channel fires start / end / asyncStart / asyncEnd / error with the context object below;
 * subscribers may add their own fields to it (a span, a start time) and may write to
 * `call.params._meta` in `start` to propagate trace context upstream.
 */

/** One inbound MCP request handled by the policy chain and router. */
export interface InboundRequestContext {
  ctx: CallContext;
  /** The gateway handling it (several may share a process, e.g. in tests). */
  owner?: object;
  [key: string]: unknown;
}

/** One request sent to an upstream, after the router picked it (inside the interceptor chain's caller). */
export interface UpstreamRequestContext {
  ctx: CallContext;
  call: UpstreamCall;
  owner?: object;
  [key: string]: unknown;
}

/** One connection attempt (spawn + handshake) of an upstream. */
export interface UpstreamConnectContext {
  server: string;
  transport: string;
  attempt: number;
  owner?: object;
  /** The CallContext of the request that caused this connect, if any (its span becomes the parent). */
  parent?: object;
  [key: string]: unknown;
}

export const inboundRequestChannel = tracingChannel<InboundRequestContext>('mcp-outlet:inbound-request');
export const upstreamRequestChannel = tracingChannel<UpstreamRequestContext>('mcp-outlet:upstream-request');
export const upstreamConnectChannel = tracingChannel<UpstreamConnectContext>('mcp-outlet:upstream-connect');
