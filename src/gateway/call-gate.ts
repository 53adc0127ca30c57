import { OutletError } from '../errors/index.js';
import { inboundRequestChannel, publishError, publishResult } from '../observability/channels.js';
import type { Handler } from '../policy/call-context.js';

/**
 * The way into a gateway for every request, whatever transport brought it (MCP, stdio, /rpc,
 * REST): it counts calls in flight, refuses new ones once a drain has begun (graceful shutdown),
 * and publishes each request once on the inbound channel for tracing, metrics and audit, with the
 * gateway as `owner` so two gateways in one process record only their own.
 */
export class CallGate {
  private draining = false;
  private active = 0;
  private onIdle: (() => void) | undefined;

  constructor(private readonly owner: object) {}

  /** Wraps a chain as a way in. */
  wrap(chain: Handler): Handler {
    return async (ctx) => {
      // Published here rather than through tracePromise: see publishResult. `result` and `error` are
      // declared up front, so setting one later neither reshapes the object nor grows it.
      const traced = inboundRequestChannel.hasSubscribers ? { ctx, owner: this.owner, result: undefined, error: undefined } : undefined;
      if (traced) inboundRequestChannel.start.publish(traced);
      try {
        if (this.draining) throw new OutletError('SHUTTING_DOWN', 'the gateway is shutting down; retry against another instance');
        this.active++;
        let result: Awaited<ReturnType<Handler>>;
        try {
          result = await chain(ctx);
        } finally {
          if (--this.active === 0) this.onIdle?.();
        }
        if (traced) publishResult(inboundRequestChannel, traced, result);
        return result;
      } catch (err) {
        if (traced) publishError(inboundRequestChannel, traced, err);
        throw err;
      }
    };
  }

  /**
   * Stops taking calls and waits for the ones in flight to finish, at most `graceMs`. Resolves
   * with the number left unfinished.
   */
  async drain(graceMs: number): Promise<number> {
    this.draining = true;
    if (this.active === 0) return 0;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, graceMs);
      timer.unref();
      this.onIdle = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    // The SDK writes a call's response after the handler returns, in later microtasks: let them
    // run before the caller closes the sessions, or the last answers would be cut off.
    await new Promise((resolve) => setImmediate(resolve));
    return this.active;
  }
}
