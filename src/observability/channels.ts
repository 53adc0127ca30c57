import { channel, tracingChannel, type TracingChannel } from 'node:diagnostics_channel';
import type { ObservedRequest } from './observed-request.js';
import type { ObservedUpstreamCall } from './observed-upstream.js';

/**
 * The outlet's lifecycle, published on `node:diagnostics_channel` tracing channels so tracing,
 * metrics and audit subscribe to it instead of being wired into every call site (the way undici
 * and Fastify expose theirs). With no subscriber a channel costs a flag check.
 *
 * Each channel fires start / end / asyncStart / asyncEnd / error with the context object below;
 * subscribers may add their own fields to it (a span, a start time) and may write to
 * `call.params._meta` in `start` to propagate trace context upstream. On the inbound and upstream
 * request channels, `result` and `error` are on the context from the start, undefined until the
 * work settles: test them against undefined, not with `in`.
 */

/** One inbound MCP request handled by the policy chain and router. */
export interface InboundRequestContext {
  ctx: ObservedRequest;
  /** The gateway handling it (several may share a process, e.g. in tests). */
  owner?: object;
  [key: string]: unknown;
}

/** One request sent to an upstream, after the router picked it (inside the interceptor chain's caller). */
export interface UpstreamRequestContext {
  ctx: ObservedRequest;
  call: ObservedUpstreamCall;
  owner?: object;
  [key: string]: unknown;
}

/** One connection attempt (spawn + handshake) of an upstream. */
export interface UpstreamConnectContext {
  server: string;
  transport: string;
  attempt: number;
  owner?: object;
  /** The context (an ObservedRequest) of the request that caused this connect, if any (its span becomes the parent). */
  parent?: object;
  [key: string]: unknown;
}

export const inboundRequestChannel = tracingChannel<InboundRequestContext>('mcp-outlet:inbound-request');
export const upstreamRequestChannel = tracingChannel<UpstreamRequestContext>('mcp-outlet:upstream-request');
export const upstreamConnectChannel = tracingChannel<UpstreamConnectContext>('mcp-outlet:upstream-connect');

/**
 * Tokens (o200k) of what an endpoint returned, by how it presents tools: a tools/list answer, a
 * search_tools answer, a tool result; and each result a token budget cut or refused. Counted only
 * while someone listens (the tokenizer is not free).
 */
export interface TokensMessage {
  owner?: object;
  mode: string;
  kind: 'list' | 'search' | 'result';
  tokens: number;
  budget?: 'cut' | 'refused';
}
export const tokensChannel = channel('mcp-outlet:tokens');

/**
 * What `tracePromise` publishes when the work settles, for the two hot call sites that await the
 * work in an async function of their own and publish `start` before it: the same messages, without
 * the extra promise and closures `tracePromise` adds per call (two reaction jobs per request at each
 * of the two sites). Not published: `end` (the work is awaited here; there is no synchronous part to
 * close), and no store bound with `bindStore` is entered (these channels are the outlet's own).
 */
export function publishResult<C extends object>(channel: TracingChannel<C>, context: C, result: unknown): void {
  (context as { result?: unknown }).result = result;
  channel.asyncStart.publish(context);
  channel.asyncEnd.publish(context);
}

/** As publishResult, for work that failed: `error`, then asyncStart and asyncEnd. */
export function publishError<C extends object>(channel: TracingChannel<C>, context: C, error: unknown): void {
  (context as { error?: unknown }).error = error;
  channel.error.publish(context);
  channel.asyncStart.publish(context);
  channel.asyncEnd.publish(context);
}
