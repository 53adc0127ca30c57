import picomatch from 'picomatch';
import type { ServerConfig } from '../config/index.js';
import { CircuitBreaker, compose, concurrencyLimit, deadline, send, tracing, type BreakerOptions, type ConcurrencyOptions, type DeadlineOptions, type Dispatch } from '../upstream/interceptors/index.js';

export interface CallLimits {
  concurrency: ConcurrencyOptions;
  breaker: BreakerOptions;
  deadline: DeadlineOptions;
}

/** The limits a server's entry sets (`timeoutMs` and its `calls` block, defaults filled in). */
export function callLimits(config: ServerConfig): CallLimits {
  const { calls } = config;
  return {
    concurrency: { maxConcurrent: calls.maxConcurrent, maxQueued: calls.maxQueued },
    breaker: { failureThreshold: calls.breaker.failureThreshold, cooldownMs: calls.breaker.cooldownMs },
    deadline: {
      idleMs: config.timeoutMs,
      maxMs: calls.maxMs ?? 0,
      tools: Object.entries(calls.tools).map(([pattern, limits]) => ({
        matches: picomatch(pattern, { dot: true }),
        ...(limits.timeoutMs !== undefined ? { idleMs: limits.timeoutMs } : {}),
        ...(limits.maxMs !== undefined ? { maxMs: limits.maxMs } : {}),
      })),
    },
  };
}

/** One server's call path, and its breaker (whose state `/metrics` reports). */
export interface ServerCall {
  dispatch: Dispatch;
  breaker: CircuitBreaker;
}

/**
 * Composes a server's call path once, from its entry, so that its breaker and queue outlive
 * single calls: tracing (outermost, so the span covers every wait), deadline (so the whole wait
 * counts), breaker (fail fast before queueing), concurrency limit, then the send itself. A
 * reload that changes the entry makes a new managed upstream and with it a new path; calls
 * already on the old one (queued ones included) finish there.
 */
export function composeServerCall(config: ServerConfig, owner?: object): ServerCall {
  const limits = callLimits(config);
  const breaker = new CircuitBreaker(limits.breaker);
  const dispatch = compose([tracing(owner), deadline(limits.deadline), breaker.interceptor, concurrencyLimit(limits.concurrency)], send);
  return { dispatch, breaker };
}
