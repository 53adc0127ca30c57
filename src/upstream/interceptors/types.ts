import type { UpstreamConnection, UpstreamRequestOptions } from '../upstream-connection.js';

/** One request on its way to an upstream. */
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
}

export type Invoke = (call: UpstreamCall) => Promise<Record<string, unknown>>;

/** Wraps the next step of the upstream path (undici-style dispatcher interceptor). */
export type Interceptor = (next: Invoke) => Invoke;

/** Applies interceptors outermost first: `chain([a, b], send)` runs a, then b, then send. */
export function chain(interceptors: readonly Interceptor[], send: Invoke): Invoke {
  return interceptors.reduceRight<Invoke>((next, interceptor) => interceptor(next), send);
}
