import { EventEmitter } from 'node:events';
import { isDeepStrictEqual } from 'node:util';
import { DEFAULT_MAX_PROCESSES, type ServerConfig } from '../config/index.js';
import { OutletError } from '../errors/index.js';
import type { BreakerState } from '../upstream/interceptors/index.js';
import type { ListKind } from '../upstream/upstream-connection.js';
import { ManagedUpstream, type ManagedUpstreamOptions, type UpstreamStatus } from './managed-upstream.js';
import { ProcessBudget } from './process-budget.js';

export interface SupervisorOptions extends Omit<ManagedUpstreamOptions, 'budget'> {
  /** The gateway-wide process cap (`limits.maxProcesses`). */
  maxProcesses?: number;
  /** Another supervisor's cap to share (the `/rpc` inline servers count against the gateway's). */
  budget?: ProcessBudget;
}

/** How long a reload lets a changed or removed server's calls in flight finish (`upstream.drainTimeoutMs`). */
export const DEFAULT_DRAIN_TIMEOUT_MS = 30_000;

export interface ApplyResult {
  added: string[];
  removed: string[];
  changed: string[];
  unchanged: string[];
}

interface SupervisorEvents {
  /** Something the catalog depends on changed: an upstream's lists or its connected state. */
  change: [];
  /** An upstream announced list changes itself (relayed even if the refetched lists look the same). */
  announced: [string, ReadonlySet<ListKind>];
  /** An upstream connected (first time or again). */
  connected: [string];
  /** An upstream's log line that no single call could claim. */
  message: [string, Record<string, unknown>];
  /** An upstream's resource changed. */
  resourceUpdated: [string, string, Record<string, unknown>];
}

/**
 * Owns every upstream: starts the enabled ones, applies config changes by diffing entries
 * (added and changed ones start fresh, removed ones stop, untouched ones keep running with their
 * sessions), and reports status for `/ready`.
 */
export class Supervisor extends EventEmitter<SupervisorEvents> {
  private readonly upstreams = new Map<string, ManagedUpstream>();
  /** Old instances of changed or removed servers, finishing their calls in flight. */
  private readonly retiring = new Map<ManagedUpstream, Promise<void>>();
  /** One cap over every server's processes. */
  readonly budget: ProcessBudget;
  private readonly options: ManagedUpstreamOptions;

  constructor({ maxProcesses, budget, ...options }: SupervisorOptions) {
    super();
    this.budget = budget ?? new ProcessBudget(maxProcesses ?? DEFAULT_MAX_PROCESSES);
    this.options = { ...options, budget: this.budget };
    // A per-session server stops the process of a session that ends.
    options.sessions?.onClose((key) => {
      for (const up of this.upstreams.values()) up.sessionClosed(key);
    });
  }

  /**
   * Brings the running set in line with `servers` (only enabled entries run), under `maxProcesses`
   * when given. A removed or changed server's old instance is retired: new calls go to the new
   * entry at once, calls in flight get up to `drainTimeoutMs` to finish before it stops. Idle
   * ones are stopped before this resolves; busy ones finish in the background ({@link drained}).
   */
  async apply(servers: Record<string, ServerConfig>, maxProcesses?: number, drainTimeoutMs = DEFAULT_DRAIN_TIMEOUT_MS): Promise<ApplyResult> {
    if (maxProcesses !== undefined) this.budget.setLimit(maxProcesses);
    const wanted = new Map(Object.entries(servers).filter(([, s]) => s.enabled));
    const result: ApplyResult = { added: [], removed: [], changed: [], unchanged: [] };
    const stopping: Promise<void>[] = [];
    for (const [name, up] of this.upstreams) {
      const next = wanted.get(name);
      if (next && isDeepStrictEqual(next, up.config)) {
        result.unchanged.push(name);
        continue;
      }
      (next ? result.changed : result.removed).push(name);
      this.upstreams.delete(name);
      if (up.callsInFlight === 0) stopping.push(up.stop());
      else this.retire(up, drainTimeoutMs);
    }
    for (const [name, config] of wanted) {
      if (this.upstreams.has(name)) continue;
      if (!result.changed.includes(name)) result.added.push(name);
      this.startUpstream(name, config);
    }
    if (result.removed.length > 0 || result.changed.length > 0) this.emit('change');
    await Promise.all(stopping);
    return result;
  }

  /** True while an upstream retired by a reload is still finishing its calls. */
  get draining(): boolean {
    return this.retiring.size > 0;
  }

  /** Resolves when every upstream retired by a reload has stopped (its calls finished or its drain timed out). */
  async drained(): Promise<void> {
    await Promise.all(this.retiring.values());
  }

  private retire(up: ManagedUpstream, drainTimeoutMs: number): void {
    // Its events no longer speak for the server's name: the new entry does.
    up.removeAllListeners();
    // Nobody awaits a retirement but close(): a failed stop is logged, never an unhandled rejection.
    const done = up
      .retire(drainTimeoutMs)
      .catch((err: unknown) => this.options.log?.('warn', `stopping the replaced instance of "${up.name}" failed: ${err instanceof Error ? err.message : String(err)}`, { server: up.name }))
      .finally(() => this.retiring.delete(up));
    this.retiring.set(up, done);
  }

  /**
   * Starts one server beside the configured set, or returns it when it already runs with this
   * exact config (`/rpc` inline servers, keyed by a hash of their config). A connect span of its
   * first start is a child of `connectParent`'s request (the call that caused the spawn).
   */
  ensure(name: string, config: ServerConfig, connectParent?: object): ManagedUpstream {
    const running = this.upstreams.get(name);
    if (running && isDeepStrictEqual(running.config, config)) return running;
    if (running) {
      this.upstreams.delete(name);
      void running.stop();
    }
    return this.startUpstream(name, config, connectParent);
  }

  /** Stops one server and forgets it. */
  async remove(name: string): Promise<void> {
    const up = this.upstreams.get(name);
    if (!up) return;
    this.upstreams.delete(name);
    await up.stop();
    this.emit('change');
  }

  private startUpstream(name: string, config: ServerConfig, connectParent?: object): ManagedUpstream {
    const up = new ManagedUpstream(config, this.options);
    up.on('lists', (_lists, announced) => {
      this.emit('announced', name, announced);
      this.emit('change');
    });
    up.on('state', (state) => {
      this.emit('change');
      if (state === 'connected') this.emit('connected', name);
    });
    up.on('message', (params) => this.emit('message', name, params));
    up.on('resourceUpdated', (uri, params) => this.emit('resourceUpdated', name, uri, params));
    this.upstreams.set(name, up);
    if (connectParent) up.connectParent = connectParent;
    up.start();
    return up;
  }

  get(name: string): ManagedUpstream | undefined {
    return this.upstreams.get(name);
  }

  /** The managed upstream for a name, or UNKNOWN_SERVER. */
  require(name: string): ManagedUpstream {
    const up = this.upstreams.get(name);
    if (!up) throw new OutletError('UNKNOWN_SERVER', `no running server named "${name}"`, { server: name });
    return up;
  }

  /** A running server's circuit breaker state (`outlet_circuit_breaker_state`). */
  breakerState(name: string): BreakerState | undefined {
    return this.upstreams.get(name)?.breakerState;
  }

  all(): ManagedUpstream[] {
    return [...this.upstreams.values()];
  }

  status(): UpstreamStatus[] {
    return this.all()
      .map((u) => u.status())
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /**
   * Waits until every upstream has finished its first connection attempt, or `timeoutMs` passes.
   * List requests call this at start-up so a one-shot client sees the whole catalog.
   */
  async waitForStartup(timeoutMs: number): Promise<void> {
    if (!this.hasPendingStartup() || timeoutMs <= 0) return;
    const pending = this.all().filter((u) => u.state === 'connecting' && u.restarts === 0);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
      timer.unref();
    });
    await Promise.race([Promise.all(pending.map((u) => u.settled())), timeout]);
    clearTimeout(timer);
  }

  /** True while some upstream is still on its first connection attempt (cheap: no allocation, on the hot path). */
  hasPendingStartup(): boolean {
    for (const u of this.upstreams.values()) if (u.state === 'connecting' && u.restarts === 0) return true;
    return false;
  }

  async close(): Promise<void> {
    const all = this.all();
    this.upstreams.clear();
    await Promise.all(all.map((u) => u.stop()));
    // The gateway's own drain has already given calls their time: retired instances stop now.
    for (const up of this.retiring.keys()) void up.stop();
    await this.drained();
  }
}
