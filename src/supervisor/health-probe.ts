import type { HealthConfig } from '../config/index.js';

/** What the probe needs of a connection. */
export interface Probed {
  /** Requests in flight: a server busy with calls is not probed (a long synchronous job must not read as dead; call timeouts cover it). */
  readonly activeRequests: number;
  ping(timeoutMs: number): Promise<unknown>;
}

/**
 * Pings a connected server every `intervalMs` while it is idle; after `failures` probes in a row
 * go unanswered within `timeoutMs`, reports it dead once (the supervisor then restarts it). A
 * server that is alive but stuck (a frozen event loop, a deadlock) answers no call, and without a
 * probe only the next caller's timeout would tell.
 */
export class HealthProbe {
  private timer: NodeJS.Timeout | undefined;
  private misses = 0;
  private probing = false;

  constructor(
    private readonly config: HealthConfig,
    private readonly target: Probed,
    private readonly onDead: (reason: string) => void,
  ) {}

  start(): void {
    if (!this.config.enabled || this.timer) return;
    this.timer = setInterval(() => void this.tick(), this.config.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private async tick(): Promise<void> {
    if (this.probing || this.target.activeRequests > 0) return;
    this.probing = true;
    try {
      await this.target.ping(this.config.timeoutMs);
      this.misses = 0;
    } catch (err) {
      if (!this.timer) return;
      this.misses++;
      if (this.misses < this.config.failures) return;
      this.stop();
      const last = err instanceof Error ? err.message : String(err);
      this.onDead(`${this.misses} health probes in a row went unanswered within ${this.config.timeoutMs} ms (last: ${last}); restarting`);
    } finally {
      this.probing = false;
    }
  }
}
