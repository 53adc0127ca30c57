import { OutletError } from '../errors/index.js';
import { inboundRequestChannel } from '../observability/channels.js';
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
    const counted: Handler = async (ctx) => {
      if (this.draining) throw new OutletError('SHUTTING_DOWN', 'the gateway is shutting down; retry against another instance');
      this.active++;
      try {
        return await chain(ctx);
      } finally {
        if (--this.active === 0) this.onIdle?.();
      }
    };
    return (ctx) => (inboundRequestChannel.hasSubscribers ? inboundRequestChannel.tracePromise(() => counted(ctx), { ctx, owner: this.owner }) : counted(ctx));
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
