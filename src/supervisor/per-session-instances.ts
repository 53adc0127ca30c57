import type { InstancesConfig } from '../config/index.js';
import { OutletError } from '../errors/index.js';
import { passesLogLevel } from '../upstream/log-level.js';
import { releaseOnce, type InstanceStrategy, type InstancesStatus, type Lease, type StrategyDeps } from './instance-strategy.js';
import { SpareSupply } from './spare-supply.js';
import type { UpstreamInstance } from './upstream-instance.js';

interface Entry {
  key: string;
  /** A caller with no lasting session (a 2026-07-28 request): its process ends with the call. */
  oneShot: boolean;
  ready: Promise<UpstreamInstance>;
  instance?: UpstreamInstance;
  busy: number;
  idle?: NodeJS.Timeout;
  dropped: boolean;
}

export type PerSessionOptions = Extract<InstancesConfig, { mode: 'per-session' }>;

/**
 * `per-session`: each inbound session gets a process of its own on its first call, kept until the
 * session closes or stays idle for `idleTimeoutMs`. With one session per process, what the server
 * asks back (sampling, elicitation, roots, log lines) has exactly one possible recipient.
 *
 * A 2026-07-28 request has no session: its key is its own and nothing announces its end. Such a
 * caller is served like per-request (a fresh process, stopped after the call) rather than keyed
 * by some client identity: an anonymous identity would put unrelated clients in one process.
 */
export class PerSessionInstances implements InstanceStrategy {
  private readonly entries = new Map<string, Entry>();
  private readonly supply: SpareSupply;
  private served = 0;
  private anonymous = 0;

  constructor(
    private readonly deps: StrategyDeps,
    private readonly options: PerSessionOptions,
  ) {
    this.supply = new SpareSupply(options.spares, deps.launch, deps.server, deps.blocked);
  }

  start(): void {
    this.supply.start();
  }

  async acquire(sessionKey: string | undefined): Promise<Lease> {
    const lasting = sessionKey !== undefined && this.deps.sessions?.get(sessionKey) !== undefined;
    const entry = (lasting ? this.entries.get(sessionKey) : undefined) ?? this.open(lasting ? sessionKey : `once:${this.anonymous++}`, !lasting);
    entry.busy++;
    clearTimeout(entry.idle);
    const instance = await entry.ready.catch((err: unknown) => {
      this.release(entry);
      throw err;
    });
    return { connection: instance.connection, release: releaseOnce(() => this.release(entry)) };
  }

  sessionClosed(key: string): void {
    const entry = this.entries.get(key);
    if (entry) this.drop(entry);
  }

  status(): InstancesStatus {
    const instances = [...this.entries.values()].flatMap((e) => (e.instance ? [e.instance] : []));
    const counts = this.supply.counts();
    return {
      mode: 'per-session',
      running: instances.length + counts.spares,
      busy: [...this.entries.values()].filter((e) => e.busy > 0).length,
      pids: [...instances.flatMap((i) => (i.pid === undefined ? [] : [i.pid])), ...this.supply.pids()],
      ...counts,
      sessions: this.entries.size,
      max: this.options.max,
      served: this.served,
      ...(this.supply.lastError ? { lastError: this.supply.lastError } : {}),
    };
  }

  async stop(): Promise<void> {
    const instances = [...this.entries.values()].flatMap((e) => (e.instance ? [e.instance] : []));
    for (const entry of [...this.entries.values()]) this.drop(entry);
    await Promise.all([this.supply.stop(), ...instances.map((i) => i.close())]);
  }

  private open(key: string, oneShot: boolean): Entry {
    if (this.entries.size >= this.options.max) {
      throw new OutletError(
        'GATEWAY_BUSY',
        `upstream "${this.deps.server}" runs one process per session and all ${this.options.max} are taken (instances.max); retry when a session ends`,
        { server: this.deps.server, max: this.options.max },
      );
    }
    const fail = (err: unknown): never => {
      this.drop(entry);
      throw err;
    };
    const entry: Entry = { key, oneShot, busy: 0, dropped: false, ready: this.supply.take(this.options.acquireTimeoutMs).then((i) => this.adopt(entry, i), fail) };
    this.entries.set(key, entry);
    return entry;
  }

  private async adopt(entry: Entry, instance: UpstreamInstance): Promise<UpstreamInstance> {
    if (entry.dropped) {
      void instance.close();
      throw new OutletError('UPSTREAM_UNAVAILABLE', `the client session ended before its process of "${this.deps.server}" was ready`, { server: this.deps.server });
    }
    entry.instance = instance;
    this.served++;
    // A process that dies takes the session's state with it; the session's next call starts afresh.
    instance.onEnd(() => this.drop(entry));
    instance.connection.on('message', (params) => this.deliverLog(entry, params));
    // The session may have chosen a log level before its process existed.
    const level = entry.oneShot ? undefined : this.deps.sessions?.get(entry.key)?.logLevel;
    const conn = instance.connection;
    if (level !== undefined && conn.capabilities.logging && !conn.isModern) await conn.request('logging/setLevel', { level }).catch(() => undefined);
    return instance;
  }

  /** A log line outside any call: only this session can have caused it. */
  private deliverLog(entry: Entry, params: Record<string, unknown>): void {
    if (entry.oneShot) return this.deps.broadcast(params);
    const session = this.deps.sessions?.get(entry.key);
    if (session && passesLogLevel(session.logLevel, params.level)) void session.notify({ method: 'notifications/message', params }).catch(() => undefined);
  }

  private release(entry: Entry): void {
    // A spare taken by this session is replaced after the answer has gone (a spawn is synchronous).
    setImmediate(() => this.supply.replenish());
    entry.busy--;
    if (entry.busy > 0 || entry.dropped) return;
    if (entry.oneShot) return this.drop(entry);
    entry.idle = setTimeout(() => this.drop(entry), this.options.idleTimeoutMs);
    entry.idle.unref();
  }

  private drop(entry: Entry): void {
    if (entry.dropped) return;
    entry.dropped = true;
    clearTimeout(entry.idle);
    if (this.entries.get(entry.key) === entry) this.entries.delete(entry.key);
    // Not ready yet: adopt() closes the process when it arrives. Otherwise after this turn: a
    // one-shot caller's answer is still on its way out, and a stop is not free.
    const instance = entry.instance;
    if (instance) setImmediate(() => void instance.close());
  }
}
