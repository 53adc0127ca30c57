/**
 * The upstream call path as composable steps: an {@link Interceptor} wraps the next
 * {@link Dispatch}, and {@link compose} stacks them over {@link send} (the request on the call's
 * connection). The supervisor composes one path per server from its entry
 * (src/supervisor/server-call.ts); these are the pieces it uses, and what an embedder composes
 * its own steps with.
 */
export { compose, type Dispatch, type Interceptor, type UpstreamCall, type UpstreamRequest } from './types.js';
export { send } from './send.js';
export { deadline, type DeadlineOptions } from './deadline.js';
export { CircuitBreaker, type BreakerOptions, type BreakerState } from './circuit-breaker.js';
export { concurrencyLimit, type ConcurrencyOptions } from './concurrency-limit.js';
export { tracing } from './tracing.js';
