import type { Result } from '@modelcontextprotocol/server';
import type { CallContext, Handler, Principal, RequestScope } from '../policy/call-context.js';
import { createCallContext } from './call-context.js';

/** What a plain HTTP caller (REST, `/rpc`) brings to one call: no MCP session, no way back mid-call. */
export interface DirectCall {
  method: string;
  params: Record<string, unknown>;
  scope: RequestScope;
  transport: 'rest' | 'rpc';
  /** The principal the HTTP layer authenticated; absent when authentication is off. */
  principal?: Principal;
  /** The HTTP request's headers (trace context). */
  headers?: Headers;
  /** The JSON-RPC id, for `/rpc`. */
  rpcId?: string | number;
  /** Aborted when the HTTP caller goes away. */
  signal?: AbortSignal;
}

/**
 * Builds the parsed view of a request that did not come over an MCP transport, so REST and `/rpc`
 * calls go through the same policy chain, router, tracing and audit as MCP ones.
 */
export function directContext(call: DirectCall): CallContext {
  return createCallContext(call.method, call.params, {
    scope: call.scope,
    // 2025-era semantics: a stateless caller that cannot answer server-to-client requests.
    session: { era: 'legacy', transport: call.transport },
    principal: call.principal,
    signal: call.signal ?? new AbortController().signal,
    headers: call.headers,
    rpcId: call.rpcId,
    state: new Map(),
  });
}

/** Runs one direct call through the gateway's handler (policy chain, router). */
export function runDirectCall(handle: Handler, call: DirectCall): Promise<Result> {
  return handle(directContext(call));
}
