import { EventEmitter } from 'node:events';
import type { ServerConfig } from '../config/index.js';
import { OutletError, isOutletError, type OutletErrorCode } from '../errors/index.js';
import { UpstreamConnection, type ListKind, type UpstreamLists } from '../upstream/upstream-connection.js';
import { backoffDelay } from './backoff.js';
import { ConsoleBuffer } from './console-buffer.js';
import { ServerSandbox } from './server-sandbox.js';
import type { ManagedUpstreamOptions, UpstreamState, UpstreamStatus } from './upstream-status.js';

export type { ManagedUpstreamOptions, UpstreamState, UpstreamStatus } from './upstream-status.js';

interface ManagedUpstreamEvents {
  state: [UpstreamState];
  lists: [UpstreamLists, ReadonlySet<ListKind>];
  message: [Record<string, unknown>];
  resourceUpdated: [string, Record<string, unknown>];
}

/**
 * One configured server under supervision: it connects, and when the connection fails or drops
 * it waits with exponential backoff and tries again, until stopped. Callers get the live
 * connection or an immediate UPSTREAM_UNAVAILABLE error; nobody waits on a dead upstream.
 */
export class ManagedUpstream extends EventEmitter<ManagedUpstreamEvents> {
  state: UpstreamState = 'stopped';
  lastError?: string;
  restarts = 0;
  connectedAt?: Date;
  readonly console = new ConsoleBuffer();
  /** The gateway code of the last failure, so callers get SANDBOX_UNAVAILABLE rather than a generic one. */
  private lastErrorCode?: OutletErrorCode;
  private readonly sandbox?: ServerSandbox;
  private connection?: UpstreamConnection;
  private attempt = 0;
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
    if (config.transport === 'stdio') this.sandbox = new ServerSandbox(config.name, config.sandbox, options.log ?? (() => undefined), options.sandboxSupport);
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

  /** The live connection, or a clear error saying why there is none. */
  live(): UpstreamConnection {
    if (this.state === 'connected' && this.connection) return this.connection;
    const why = this.lastError ? `: ${this.lastError}` : '';
    const code = this.lastErrorCode === 'SANDBOX_UNAVAILABLE' ? this.lastErrorCode : 'UPSTREAM_UNAVAILABLE';
    throw new OutletError(code, `upstream "${this.name}" is ${this.state}${why}`, { server: this.name, state: this.state });
  }

  get lists(): UpstreamLists | undefined {
    return this.state === 'connected' ? this.connection?.lists : undefined;
  }

  status(): UpstreamStatus {
    const conn = this.state === 'connected' ? this.connection : undefined;
    const protocolVersion = conn?.protocolVersion;
    const serverInfo = conn?.serverInfo;
    return {
      name: this.name,
      transport: this.config.transport,
      state: this.state,
      ...(protocolVersion ? { protocolVersion } : {}),
      ...(serverInfo ? { serverInfo: { name: serverInfo.name, version: serverInfo.version } } : {}),
      ...(this.lastError ? { lastError: this.lastError } : {}),
      restarts: this.restarts,
      ...(this.connectedAt ? { connectedAt: this.connectedAt.toISOString() } : {}),
      tools: conn?.lists.tools.length ?? 0,
      ...(this.sandbox ? { sandbox: this.sandbox.status(), killedForLimit: { ...this.sandbox.killedForLimit } } : {}),
    };
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    const conn = this.connection;
    this.connection = undefined;
    this.setState('stopped');
    this.resolveSettled();
    await conn?.close();
    this.sandbox?.dispose();
  }

  private async connectOnce(): Promise<void> {
    if (this.stopped) return;
    this.setState('connecting');
    const conn = new UpstreamConnection(this.config, {
      ...this.sandbox?.hooks(this.options.wrapSpawn),
      connectTimeoutMs: this.options.connectTimeoutMs,
      onConsole: (stream, line) => this.console.push(stream, line),
    });
    try {
      await conn.connect();
    } catch (err) {
      this.fail(err);
      return;
    }
    if (this.stopped) {
      await conn.close();
      return;
    }
    this.connection = conn;
    this.attempt = 0;
    this.lastError = undefined;
    this.connectedAt = new Date();
    conn.on('lists', (lists, announced) => this.emit('lists', lists, announced));
    conn.on('message', (params) => this.emit('message', params));
    conn.on('resourceUpdated', (uri, params) => this.emit('resourceUpdated', uri, params));
    conn.once('closed', (err) => {
      if (this.connection !== conn) return;
      this.connection = undefined;
      this.connectedAt = undefined;
      this.fail(err ?? new Error('connection closed'));
    });
    this.setState('connected');
    this.resolveSettled();
  }

  private fail(err: unknown): void {
    if (this.stopped) return;
    this.lastError = err instanceof Error ? err.message : String(err);
    this.lastErrorCode = isOutletError(err) ? err.code : undefined;
    // A process that died says why (a limit, a signal): more use in /ready than "closed the connection".
    if (this.lastErrorCode === 'UPSTREAM_CLOSED' && this.sandbox?.lastExit) this.lastError += `: ${this.sandbox.lastExit}`;
    const lastLines = this.console.tail(3).map((l) => l.line);
    if (lastLines.length > 0 && this.state === 'connecting') this.lastError += ` (last output: ${lastLines.join(' | ')})`;
    const delay = backoffDelay(this.attempt++, this.options.restart.baseMs, this.options.restart.maxMs);
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
