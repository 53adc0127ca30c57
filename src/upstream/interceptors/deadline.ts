import type { Interceptor } from './types.js';

export interface DeadlineOptions {
  /** Idle timeout: the call fails if the upstream says nothing (no result, no progress) this long. */
  idleMs: number;
  /** Hard cap on the whole call, progress or not; 0 means none. */
  maxMs: number;
}

/**
 * Puts the server's timeouts on a call: an idle timeout that each progress notification resets
 * (a long job that reports progress is alive), and a hard cap that nothing resets. The SDK
 * client enforces both; this decides the numbers.
 */
export function deadline(options: DeadlineOptions): Interceptor {
  return (next) => (call) =>
    next({
      ...call,
      options: {
        ...call.options,
        timeoutMs: call.options.timeoutMs ?? options.idleMs,
        ...(options.maxMs > 0 ? { maxTotalMs: options.maxMs } : {}),
      },
    });
}
