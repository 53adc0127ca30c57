import { OutletError } from '../../errors/index.js';
import type { Interceptor } from './types.js';

export interface ConcurrencyOptions {
  /** Calls in flight at once to this upstream; 0 means no limit. */
  maxConcurrent: number;
  /** Calls allowed to wait for a slot; a call past this is refused at once. */
  maxQueued: number;
}

/**
 * At most `maxConcurrent` calls in flight to one upstream, the rest waiting in a bounded FIFO
 * queue. A full queue answers at once with GATEWAY_BUSY rather than letting latency grow without
 * bound; a queued call whose caller gives up leaves the queue.
 */
export function concurrencyLimit(options: ConcurrencyOptions, onReject?: () => void): Interceptor {
  let active = 0;
  const waiting: { resolve: () => void; reject: (err: Error) => void; signal?: AbortSignal }[] = [];
  const release = () => {
    active--;
    const nextInLine = waiting.shift();
    if (nextInLine) {
      active++;
      nextInLine.resolve();
    }
  };
  return (next) => async (call) => {
    if (options.maxConcurrent <= 0) return next(call);
    if (active >= options.maxConcurrent) {
      if (waiting.length >= options.maxQueued) {
        onReject?.();
        throw new OutletError('GATEWAY_BUSY', `upstream "${call.server}" is busy: ${active} calls in flight and ${waiting.length} waiting (limits ${options.maxConcurrent}/${options.maxQueued})`, { server: call.server });
      }
      await new Promise<void>((resolve, reject) => {
        const entry = { resolve, reject, ...(call.options.signal ? { signal: call.options.signal } : {}) };
        waiting.push(entry);
        call.options.signal?.addEventListener(
          'abort',
          () => {
            const at = waiting.indexOf(entry);
            if (at !== -1) waiting.splice(at, 1);
            reject(new OutletError('UPSTREAM_ERROR', 'the caller cancelled while waiting for a slot', { server: call.server }));
          },
          { once: true },
        );
      });
    } else {
      active++;
    }
    try {
      return await next(call);
    } finally {
      release();
    }
  };
}
