import { releaseOnce, type InstanceStrategy, type InstancesStatus, type Lease, type StrategyDeps } from './instance-strategy.js';
import { SpareSupply } from './spare-supply.js';
import type { UpstreamInstance } from './upstream-instance.js';

/**
 * `per-request`: every request gets a process no request used before, and the process is stopped
 * when the request ends. Warm spares hide the cold start; past the rate they refill at, a request
 * waits (bounded) for the next one rather than reuse one, so state never leaks between requests.
 */
export class PerRequestInstances implements InstanceStrategy {
  private readonly supply: SpareSupply;
  private readonly busy = new Set<UpstreamInstance>();
  private served = 0;

  constructor(
    private readonly deps: StrategyDeps,
    private readonly options: { spares: number; acquireTimeoutMs: number },
  ) {
    this.supply = new SpareSupply(options.spares, deps.launch, deps.server, deps.blocked);
  }

  start(): void {
    this.supply.start();
  }

  async acquire(_sessionKey: string | undefined, signal?: AbortSignal): Promise<Lease> {
    const instance = await this.supply.take(this.options.acquireTimeoutMs, signal);
    this.busy.add(instance);
    this.served++;
    // Unclaimed log lines of a one-request process go where a shared server's would.
    instance.connection.on('message', this.deps.broadcast);
    const release = releaseOnce(() => {
      this.busy.delete(instance);
      // On the next turn of the loop: the answer that ends this lease is still on its way to the
      // client, and a stop and a spawn (synchronous in Node) would hold it up.
      setImmediate(() => {
        void instance.close();
        this.supply.replenish();
      });
    });
    return { connection: instance.connection, release };
  }

  sessionClosed(): void {}

  status(): InstancesStatus {
    const counts = this.supply.counts();
    const busyPids = [...this.busy].flatMap((i) => (i.pid === undefined ? [] : [i.pid]));
    return {
      mode: 'per-request',
      running: counts.spares + this.busy.size,
      busy: this.busy.size,
      pids: [...busyPids, ...this.supply.pids()],
      ...counts,
      served: this.served,
      ...(this.supply.lastError ? { lastError: this.supply.lastError } : {}),
    };
  }

  async stop(): Promise<void> {
    await this.supply.stop();
    await Promise.all([...this.busy].map((i) => i.close()));
    this.busy.clear();
  }
}
