import { OutletError, isOutletError } from '../errors/index.js';
import { backoffDelay } from './backoff.js';
import type { UpstreamInstance } from './upstream-instance.js';

interface Waiter {
  resolve: (instance: UpstreamInstance) => void;
  reject: (err: unknown) => void;
}

/**
 * Fresh, already connected processes of one server, handed out once each. It keeps `spares`
 * started ahead of need; a taker that finds none waits in line for the next one to finish
 * starting (bounded by the caller's timeout), and is never given one that served before. At most
 * `max(spares, 1)` start at a time: that width over the cold-start time is the rate it sustains.
 * Starts that keep failing back off, and everyone waiting is told why at once.
 */
export class SpareSupply {
  lastError?: string;
  private readonly ready: UpstreamInstance[] = [];
  private readonly waiters: Waiter[] = [];
  private starting = 0;
  private attempt = 0;
  private retry?: NodeJS.Timeout;
  private running = false;

  constructor(
    private readonly spares: number,
    private readonly launch: () => Promise<UpstreamInstance>,
    private readonly server: string,
    /** Why no process can start right now, if something outside says so (the process cap). */
    private readonly blocked: () => string | undefined = () => undefined,
  ) {}

  start(): void {
    this.running = true;
    this.refill();
  }

  counts(): { spares: number; starting: number; waiting: number } {
    return { spares: this.ready.length, starting: this.starting, waiting: this.waiters.length };
  }

  /** The pids of the spares ready now. */
  pids(): number[] {
    return this.ready.flatMap((i) => (i.pid === undefined ? [] : [i.pid]));
  }

  /** A fresh instance: a ready spare at once, else the next one started, within `timeoutMs` (or until `signal` aborts). */
  take(timeoutMs: number, signal?: AbortSignal): Promise<UpstreamInstance> {
    if (!this.running) return Promise.reject(new OutletError('UPSTREAM_UNAVAILABLE', `upstream "${this.server}" is stopped`, { server: this.server }));
    // A spare handed out is replaced when the caller calls replenish() (after its call), not now:
    // starting a process costs the gateway a synchronous spawn and the host a core for a while,
    // which the call that was just handed a warm instance should not pay for.
    const spare = this.ready.shift();
    if (spare) return Promise.resolve(spare);
    return new Promise((resolve, reject) => {
      // A caller that gives up leaves the line, so the instance started for it goes to the next one.
      const settle = (then: () => void): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        const at = this.waiters.indexOf(waiter);
        if (at !== -1) this.waiters.splice(at, 1);
        then();
      };
      const waiter: Waiter = { resolve: (instance) => settle(() => resolve(instance)), reject: (err) => settle(() => reject(err)) };
      const onAbort = (): void => waiter.reject(signal?.reason);
      const timer = setTimeout(() => waiter.reject(this.timedOut(timeoutMs)), timeoutMs);
      timer.unref();
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
      this.refill();
    });
  }

  private timedOut(timeoutMs: number): OutletError {
    const why = this.blocked() ?? `requests arrive faster than new processes start${this.lastError ? ` (last start: ${this.lastError})` : ''}; raise instances.spares or slow down`;
    return new OutletError('GATEWAY_BUSY', `no fresh instance of "${this.server}" became ready within ${timeoutMs} ms: ${why}`, { server: this.server });
  }

  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.retry);
    for (const waiter of [...this.waiters]) waiter.reject(new OutletError('UPSTREAM_UNAVAILABLE', `upstream "${this.server}" stopped`, { server: this.server }));
    await Promise.all(this.ready.splice(0).map((i) => i.close()));
  }

  /** Starts what is missing: spares, and one per caller waiting. */
  replenish(): void {
    this.refill();
  }

  private refill(): void {
    if (!this.running || this.retry) return;
    const width = Math.max(1, this.spares);
    while (this.starting < width && this.ready.length + this.starting < this.spares + this.waiters.length) {
      this.starting++;
      void this.startOne();
    }
  }

  private async startOne(): Promise<void> {
    let instance: UpstreamInstance;
    try {
      instance = await this.launch();
    } catch (err) {
      this.starting--;
      this.failed(err);
      return;
    }
    this.starting--;
    this.attempt = 0;
    this.lastError = undefined;
    const waiter = this.waiters[0];
    // Started for a caller who has since given up, beyond the spares asked for: not kept idle.
    if (!this.running || (!waiter && this.ready.length >= this.spares)) return void instance.close();
    if (waiter) {
      waiter.resolve(instance);
    } else {
      this.ready.push(instance);
      // A spare that dies while it waits is dropped and replaced.
      instance.onEnd(() => {
        const at = this.ready.indexOf(instance);
        if (at === -1) return;
        this.ready.splice(at, 1);
        this.refill();
      });
    }
    this.refill();
  }

  private failed(err: unknown): void {
    this.lastError = err instanceof Error ? err.message : String(err);
    // The process cap is not this server's fault: the start waited its turn and will wait again;
    // callers time out on their own, and their error says the cap is the reason.
    if (isOutletError(err) && err.code === 'GATEWAY_BUSY') return this.refill();
    // Waiting callers would only wait out their timeout behind a server that cannot start.
    for (const waiter of [...this.waiters]) waiter.reject(err);
    if (!this.running) return;
    this.retry = setTimeout(() => {
      this.retry = undefined;
      this.refill();
    }, backoffDelay(this.attempt++));
    this.retry.unref();
  }
}
