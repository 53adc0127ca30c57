import { EventEmitter } from 'node:events';
import type { ServerConfig } from '../config/index.js';
import { OutletError, fromUpstreamError, isOutletError, type OutletErrorCode } from '../errors/index.js';
import type { BreakerState, UpstreamRequest } from '../upstream/interceptors/index.js';
import type { UpstreamConnection, UpstreamLists } from '../upstream/upstream-connection.js';
import { upstreamConnectChannel, type UpstreamConnectContext } from '../observability/channels.js';
import { redactOutgoing } from '../shared/redact.js';
import { backoffDelay } from './backoff.js';
import { ConsoleBuffer } from './console-buffer.js';
import { HealthProbe } from './health-probe.js';
import type { Lease } from './instance-strategy.js';
import { ServerProcesses } from './server-processes.js';
import type { UpstreamInstance } from './upstream-instance.js';
import { CallCount } from './call-count.js';
import { failureText } from './exit-cause.js';
import { attemptLines, logFailure } from './failure-report.js';
import { composeServerCall, type ServerCall } from './server-call.js';
import type { ManagedUpstreamEvents, ManagedUpstreamOptions, UpstreamState, UpstreamStatus } from './upstream-status.js';

const round3 = (ms: number): number => Math.round(ms * 1000) / 1000;

export type { ManagedUpstreamOptions, UpstreamState, UpstreamStatus } from './upstream-status.js';

/**
 * One configured server under supervision: it connects, and when the connection fails or drops
 * it waits with exponential backoff and tries again, until stopped. Callers get the live
 * connection or an immediate UPSTREAM_UNAVAILABLE error; nobody waits on a dead upstream.
 * In a non-shared instance mode this connection is the server's representative (catalog,
 * capabilities, subscriptions) and a strategy lends the processes that serve calls.
 */
export class ManagedUpstream extends EventEmitter<ManagedUpstreamEvents> {
  state: UpstreamState = 'stopped';
  lastError?: string;
  restarts = 0;
  connectedAt?: Date;
  readonly console = new ConsoleBuffer();
  /** The request that caused this upstream's first start (an `/rpc` inline server): its connect span joins that request's trace. */
  connectParent?: object;
  /** The gateway code of the last failure, so callers get SANDBOX_UNAVAILABLE rather than a generic one. */
  private lastErrorCode?: OutletErrorCode;
  private readonly processes: ServerProcesses;
  private readonly calls = new CallCount();
  /** This server's call path (deadline, breaker, queue, tracing), composed once from its entry. */
  private readonly path: ServerCall;
  private connection?: UpstreamConnection;
  private attempt = 0;
  /** The console position when the current start attempt began: its error quotes only its own lines. */
  private attemptMark = 0;
  /** The backoff has reached restart.maxMs (said once at error level, until the server connects again). */
  private atCeiling = false;
  private timer?: NodeJS.Timeout;
  private stopped = false;
  private settledOnce: Promise<void>;
  private resolveSettled!: () => void;

  constructor(
    readonly config: ServerConfig,
    private readonly options: ManagedUpstreamOptions,
  ) {
    super();
    this.settledOnce = new Promise((resolve) => (this.resolveSettled = resolve));
    this.path = composeServerCall(config, options.owner);
    this.processes = new ServerProcesses(config, options, { console: this.console, primary: () => this.connection, broadcast: (p) => this.emit('message', p) });
  }

  get name(): string {
    return this.config.name;
  }

  /** Resolves after the first connection attempt has either succeeded or failed. */
  settled(): Promise<void> {
    return this.settledOnce;
  }

  start(): void {
    this.stopped = false;
    void this.connectOnce();
  }

  /** The live connection (in a non-shared mode, the representative one), or a clear error saying why there is none. */
  live(): UpstreamConnection {
    if (this.state === 'connected' && this.connection) return this.connection;
    const why = this.lastError ? `: ${this.lastError}` : '';
    const code = this.lastErrorCode === 'SANDBOX_UNAVAILABLE' ? this.lastErrorCode : 'UPSTREAM_UNAVAILABLE';
    throw new OutletError(code, `upstream "${this.name}" is ${this.state}${why}`, { server: this.name, state: this.state, ...(this.lastError ? { lastError: this.lastError } : {}) });
  }

  /** The connection one call should use, by the server's instance mode; release it when the call ends. */
  acquire(sessionKey: string | undefined, signal?: AbortSignal): Lease | Promise<Lease> {
    if (this.processes.shared) {
      const connection = this.live();
      this.calls.count++;
      // One release function for every call: the hot path allocates nothing more than before.
      return { connection, release: this.releaseShared };
    }
    return this.processes.acquire(sessionKey, signal).then((lease) => this.counted(lease));
  }

  private readonly releaseShared = (): void => this.calls.done();

  /**
   * Sends one request through this server's call path, on the connection its instance mode lends
   * (shared: the one), held until the answer. Rejects with a gateway error (OutletError) or the
   * upstream's own JSON-RPC error.
   */
  async call(request: UpstreamRequest): Promise<Record<string, unknown>> {
    let lease: Lease;
    try {
      lease = await this.acquire(request.sessionKey, request.options.signal);
    } catch (err) {
      throw fromUpstreamError(err, this.name);
    }
    const { method, params, paramsOwned, options, caller } = request;
    try {
      return await this.path.dispatch({ server: this.name, connection: lease.connection, method, params, paramsOwned, options, caller });
    } catch (err) {
      throw fromUpstreamError(err, this.name);
    } finally {
      lease.release();
    }
  }

  /** The circuit breaker's state, for `outlet_circuit_breaker_state`. */
  get breakerState(): BreakerState {
    return this.path.breaker.state;
  }

  /** Calls holding a lease now: what a reload waits for before it stops this upstream. */
  get callsInFlight(): number {
    return this.calls.count;
  }

  /**
   * Stops once the calls in flight have finished, or after `timeoutMs` (what is still running
   * then is cut). A reload that changed or removed the server retires the old one this way, so
   * calls it already accepted end with their results while new calls go to the new entry.
   */
  async retire(timeoutMs: number): Promise<void> {
    await this.calls.idle(timeoutMs);
    await this.stop();
  }

  private counted(lease: Lease): Lease {
    this.calls.count++;
    let released = false;
    return {
      ...lease,
      release: () => {
        if (released) return;
        released = true;
        lease.release();
        this.calls.done();
      },
    };
  }

  /** An inbound session ended (per-session mode stops its process). */
  sessionClosed(key: string): void {
    this.processes.sessionClosed(key);
  }

  get lists(): UpstreamLists | undefined {
    return this.state === 'connected' ? this.connection?.lists : undefined;
  }

  status(): UpstreamStatus {
    const conn = this.state === 'connected' ? this.connection : undefined;
    const { name, state, restarts, lastError, connectedAt } = this;
    return this.processes.describe({ name, transport: this.config.transport, state, restarts, ...(conn ? { conn } : {}), ...(lastError ? { lastError } : {}), ...(connectedAt ? { connectedAt } : {}) });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    const conn = this.connection;
    this.connection = undefined;
    this.setState('stopped');
    this.resolveSettled();
    await this.processes.stop(conn?.close());
  }

  /** A connect attempt published for connect spans (src/observability/channels.ts), with what it learned: pid and protocol version. */
  private startTraced(): Promise<UpstreamInstance> {
    const context: UpstreamConnectContext = { server: this.name, transport: this.config.transport, attempt: this.restarts, owner: this.options.owner };
    if (this.connectParent) context.parent = this.connectParent;
    this.connectParent = undefined;
    return upstreamConnectChannel.tracePromise(async () => {
      const instance = await this.processes.startPrimary();
      if (instance.pid !== undefined) context.pid = instance.pid;
      context.protocolVersion = instance.connection.protocolVersion;
      if (instance.startTimings?.spawnMs !== undefined) context.spawnMs = round3(instance.startTimings.spawnMs);
      if (instance.startTimings) context.handshakeMs = round3(instance.startTimings.handshakeMs);
      return instance;
    }, context);
  }

  private async connectOnce(): Promise<void> {
    if (this.stopped) return;
    this.attemptMark = this.console.mark;
    this.setState('connecting');
    let instance: UpstreamInstance;
    try {
      instance = upstreamConnectChannel.hasSubscribers ? await this.startTraced() : await this.processes.startPrimary();
    } catch (err) {
      this.fail(err);
      return;
    }
    const conn = instance.connection;
    if (this.stopped) return void (await instance.close());
    this.connection = conn;
    if (this.attempt > 0) this.options.log?.('info', `upstream "${this.name}" is connected again after ${this.restarts} restarts`, { server: this.name, restarts: this.restarts });
    this.attempt = 0;
    this.atCeiling = false;
    this.lastError = undefined;
    this.connectedAt = new Date();
    conn.on('lists', (lists, announced) => this.emit('lists', lists, announced));
    conn.on('message', (params) => this.emit('message', params));
    conn.on('resourceUpdated', (uri, params) => this.emit('resourceUpdated', uri, params));
    const probe = this.probe(conn);
    conn.once('closed', (err) => {
      probe.stop();
      if (this.connection !== conn) return;
      this.connection = undefined;
      this.connectedAt = undefined;
      this.fail(err ?? probe.failure ?? new Error('connection closed'));
    });
    probe.start();
    this.setState('connected');
    this.resolveSettled();
    // Instances start once the server has shown it can start at all, the representative first.
    this.processes.start();
  }

  /** Health probes of the live connection; a stuck server's connection is closed, so it restarts like a crashed one. */
  private probe(conn: UpstreamConnection): HealthProbe & { failure?: OutletError } {
    const probe: HealthProbe & { failure?: OutletError } = new HealthProbe(
      this.config.health,
      { get activeRequests() { return conn.activeRequests; }, ping: (timeoutMs) => conn.request('ping', undefined, { timeoutMs }) },
      (reason) => {
        probe.failure = new OutletError('UPSTREAM_TIMEOUT', `upstream "${this.name}": ${reason}`, { server: this.name });
        this.options.log?.('warn', `health probe: ${reason}`, { server: this.name });
        void conn.close();
      },
    );
    return probe;
  }

  private fail(err: unknown): void {
    if (this.stopped) return;
    this.lastErrorCode = isOutletError(err) ? err.code : undefined;
    const starting = this.state === 'connecting';
    // Redacted where it is made: it is shown by /ready, outlet/servers and every UPSTREAM_UNAVAILABLE error.
    this.lastError = redactOutgoing(failureText(err, this.processes.sandbox?.lastExit, starting ? attemptLines(this.console, this.attemptMark) : [], starting));
    const { baseMs, maxMs } = this.options.restart;
    const atCeiling = baseMs * 2 ** Math.min(this.attempt, 20) >= maxMs;
    const delay = backoffDelay(this.attempt++, baseMs, maxMs);
    logFailure(this.options.log, { server: this.name, starting, cause: this.lastError, delayMs: delay, restarts: this.restarts, atCeiling }, this.atCeiling);
    this.atCeiling = atCeiling;
    this.setState('backoff');
    this.resolveSettled();
    this.timer = setTimeout(() => {
      this.restarts++;
      void this.connectOnce();
    }, delay);
    this.timer.unref();
  }

  private setState(state: UpstreamState): void {
    if (this.state === state) return;
    this.state = state;
    this.emit('state', state);
  }
}
