import type { UpstreamConnection, UpstreamRequestOptions } from '../upstream-connection.js';

/**
 * What a caller asks of one server, before a connection is chosen for it: the supervisor lends a
 * connection by the server's instance mode and turns the request into an {@link UpstreamCall}.
 */
export interface UpstreamRequest {
  method: string;
  params: Record<string, unknown>;
  /** See {@link UpstreamCall.paramsOwned}. */
  paramsOwned?: boolean;
  options: UpstreamRequestOptions;
  /** The inbound session the call belongs to: a per-session server picks that session's process. */
  sessionKey?: string;
  /** See {@link UpstreamCall.caller}. */
  caller?: object;
}

/** One request on its way to an upstream, on the connection lent to it. */
export interface UpstreamCall {
  server: string;
  connection: UpstreamConnection;
  method: string;
  params: Record<string, unknown>;
  /**
   * `params` is this call's own copy (the router made it): a subscriber may add `_meta` to it in
   * place. Otherwise it may be the caller's object, and is replaced, not written to.
   */
  paramsOwned?: boolean;
  options: UpstreamRequestOptions;
  /**
   * The inbound request this call serves (the policy chain's call context), opaque here: the
   * tracing interceptor publishes it so the upstream span joins that request's trace.
   */
  caller?: object;
}

/** Sends one call and resolves with the upstream's result; rejects with an OutletError or the upstream's own error. */
export type Dispatch = (call: UpstreamCall) => Promise<Record<string, unknown>>;

/**
 * One step of the upstream call path, in the style of undici's dispatcher interceptors: it is
 * given the next dispatch and returns the dispatch that runs before it. A step may change the
 * call it passes on (a copy; `params` only as {@link UpstreamCall.paramsOwned} allows), answer
 * or refuse without calling `next`, and see the result or error on the way back. State that
 * must outlive one call (a breaker's failure count, a queue) lives in the closure, so an
 * interceptor is made once per server and shared by that server's calls.
 *
 * @example
 * const logged: Interceptor = (next) => async (call) => {
 *   const started = Date.now();
 *   try {
 *     return await next(call);
 *   } finally {
 *     console.log(call.server, call.method, Date.now() - started);
 *   }
 * };
 */
export type Interceptor = (next: Dispatch) => Dispatch;

/**
 * Composes interceptors over a dispatch, outermost first: `compose([a, b], send)` runs a, then
 * b, then send (unlike undici's `Dispatcher.compose`, whose last interceptor is outermost: here
 * the list reads in the order a call passes through it).
 */
export function compose(interceptors: readonly Interceptor[], dispatch: Dispatch): Dispatch {
  return interceptors.reduceRight<Dispatch>((next, interceptor) => interceptor(next), dispatch);
}
