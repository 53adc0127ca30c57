import type { Interceptor } from './types.js';

export interface DeadlineOptions {
  /** Idle timeout: the call fails if the upstream says nothing (no result, no progress) this long. */
  idleMs: number;
  /** Hard cap on the whole call, progress or not; 0 means none. */
  maxMs: number;
  /** Per-tool overrides for tools/call, by the upstream's own tool name; the first match wins. */
  tools?: readonly { matches: (tool: string) => boolean; idleMs?: number; maxMs?: number }[];
}

/**
 * Puts the server's timeouts on a call: an idle timeout that each progress notification resets
 * (a long job that reports progress is alive), and a hard cap that nothing resets. The SDK
 * client enforces both; this decides the numbers.
 */
export function deadline(options: DeadlineOptions): Interceptor {
  const tools = options.tools ?? [];
  return (next) => (call) => {
    let { idleMs, maxMs } = options;
    if (tools.length > 0 && call.method === 'tools/call' && typeof call.params.name === 'string') {
      const name = call.params.name;
      const own = tools.find((t) => t.matches(name));
      if (own) {
        idleMs = own.idleMs ?? idleMs;
        maxMs = own.maxMs ?? maxMs;
      }
    }
    return next({
      ...call,
      options: {
        ...call.options,
        timeoutMs: call.options.timeoutMs ?? idleMs,
        ...(maxMs > 0 ? { maxTotalMs: maxMs } : {}),
      },
    });
  };
}
