import { OutletError } from '../errors/index.js';
import type { UpstreamConnection } from '../upstream/upstream-connection.js';
import { backoffDelay } from './backoff.js';
import { releaseOnce, type InstanceStrategy, type InstancesStatus, type Lease, type StrategyDeps } from './instance-strategy.js';
import type { UpstreamInstance } from './upstream-instance.js';

/** One extra member of the pool, restarted with backoff when it fails or dies. */
interface Member {
  instance?: UpstreamInstance;
  attempt: number;
  timer?: NodeJS.Timeout;
}

/**
 * `pool`: `size` long-lived processes of a server, the managed upstream's own connection being
 * the first (so the pool's catalog comes from a member and a pool of 1 is `shared`). Each call
 * goes to the member with the fewest calls in flight; ties go round in turn, so a burst of
 * concurrent calls spreads over every member instead of piling onto the first.
 */
export class PoolInstances implements InstanceStrategy {
  private readonly members: Member[];
  /** Calls in flight per connection, counted here (queued ones included) rather than on the wire. */
  private readonly busy = new WeakMap<UpstreamConnection, number>();
  private turn = 0;
  private running = false;
  private lastError?: string;

  constructor(
    private readonly deps: StrategyDeps,
    private readonly size: number,
  ) {
    this.members = Array.from({ length: Math.max(0, size - 1) }, () => ({ attempt: 0 }));
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    for (const member of this.members) void this.fill(member);
  }

  acquire(): Promise<Lease> {
    const live = this.live();
    if (live.length === 0) return Promise.reject(new OutletError('UPSTREAM_UNAVAILABLE', `no process of upstream "${this.deps.server}" is connected`, { server: this.deps.server }));
    let best: UpstreamConnection | undefined;
    let least = Infinity;
    const start = this.turn++ % live.length;
    for (let i = 0; i < live.length; i++) {
      const conn = live[(start + i) % live.length]!;
      const load = this.busy.get(conn) ?? 0;
      if (load < least) [best, least] = [conn, load];
    }
    const connection = best!;
    this.busy.set(connection, least + 1);
    return Promise.resolve({ connection, release: releaseOnce(() => this.busy.set(connection, (this.busy.get(connection) ?? 1) - 1)) });
  }

  sessionClosed(): void {}

  status(): InstancesStatus {
    const extra = this.members.flatMap((m) => (m.instance ? [m.instance] : []));
    return {
      mode: 'pool',
      size: this.size,
      running: extra.length,
      busy: this.live().reduce((n, c) => n + (this.busy.get(c) ?? 0), 0),
      pids: extra.flatMap((i) => (i.pid === undefined ? [] : [i.pid])),
      ...(this.lastError ? { lastError: this.lastError } : {}),
    };
  }

  async stop(): Promise<void> {
    this.running = false;
    const closing = this.members.map((m) => {
      clearTimeout(m.timer);
      const instance = m.instance;
      m.instance = undefined;
      return instance?.close();
    });
    await Promise.all(closing);
  }

  /** Every member connected now, the managed upstream's own first. */
  private live(): UpstreamConnection[] {
    const primary = this.deps.primary();
    const extra = this.members.flatMap((m) => (m.instance && !m.instance.closed ? [m.instance.connection] : []));
    return primary ? [primary, ...extra] : extra;
  }

  private async fill(member: Member): Promise<void> {
    if (!this.running) return;
    let instance: UpstreamInstance;
    try {
      instance = await this.deps.launch();
    } catch (err) {
      this.lastError = err instanceof Error ? err.message : String(err);
      this.retry(member);
      return;
    }
    if (!this.running) return void instance.close();
    member.instance = instance;
    member.attempt = 0;
    instance.connection.on('message', this.deps.broadcast);
    instance.onEnd((err) => {
      if (member.instance !== instance) return;
      member.instance = undefined;
      if (err) this.lastError = err.message;
      this.retry(member);
    });
  }

  private retry(member: Member): void {
    if (!this.running) return;
    member.timer = setTimeout(() => void this.fill(member), backoffDelay(member.attempt++));
    member.timer.unref();
  }
}
