import { performance } from 'node:perf_hooks';
import type { ServerConfig } from '../config/index.js';
import type { TransportHooks } from '../upstream/client-transport.js';
import type { SpawnSpec } from '../sandbox/spawn-spec.js';
import { UpstreamConnection } from '../upstream/upstream-connection.js';
import type { ConsoleBuffer } from './console-buffer.js';
import type { LimitKind } from './exit-cause.js';
import type { ProcessBudget, ReleaseSlot } from './process-budget.js';
import type { ServerSandbox } from './server-sandbox.js';

/** What starting one process of a server needs; the managed upstream fills it once per server. */
export interface InstanceDeps {
  config: ServerConfig;
  connectTimeoutMs: number;
  console: ConsoleBuffer;
  wrapSpawn?: (spec: SpawnSpec) => SpawnSpec;
  /** The gateway-wide process cap; HTTP upstreams start no process and take no slot. */
  budget?: ProcessBudget;
  /** How long a start waits for room under the cap. */
  budgetWaitMs: number;
  /**
   * The sandbox of this process. The shared (primary) connection passes its long-lived one;
   * instances get a fresh one each, because a sandbox wrapper follows one process at a time.
   */
  sandbox?: ServerSandbox;
  /** A fresh instance's kills per limit, added to the server's totals when its process ends. */
  onLimitKills?: (kills: Record<LimitKind, number>) => void;
  /** Aborted when the server stops: a start still waiting for a slot or connecting gives up. */
  signal?: AbortSignal;
}

let nextId = 1;

/**
 * One running process of a server and the MCP session to it: a process slot under the gateway
 * cap, a sandbox, console capture into the server's buffer, and the pid for `/ready`. It does not
 * restart itself; whoever holds it decides what a death means (restart, replace, or nothing).
 */
export class UpstreamInstance {
  readonly id = nextId++;
  pid?: number;
  /**
   * Where the start went: until the OS reported the process spawned (sandbox set-up included), then
   * until the initialize handshake (or discover) was answered (the server's own boot included).
   */
  startTimings?: { spawnMs?: number; handshakeMs: number };
  private ended = false;
  private readonly endListeners = new Set<(err: Error | undefined) => void>();
  /** Settles when the connection has closed, which for a process means it is gone and drained. */
  private readonly gone: Promise<void>;

  private constructor(
    readonly connection: UpstreamConnection,
    private readonly releaseSlot: ReleaseSlot,
    private readonly ownSandbox: ServerSandbox | undefined,
  ) {
    this.gone = new Promise((resolve) =>
      connection.once('closed', (err) => {
        this.end(err);
        resolve();
      }),
    );
  }

  /** Starts and connects a process; rejects with the cause (a GATEWAY_BUSY for the cap, UPSTREAM_UNAVAILABLE otherwise). */
  static async start(deps: InstanceDeps, own?: ServerSandbox): Promise<UpstreamInstance> {
    const stdio = deps.config.transport === 'stdio';
    const releaseSlot = stdio && deps.budget ? await deps.budget.take(deps.budgetWaitMs, deps.config.name, deps.signal) : () => undefined;
    const sandbox = own ?? deps.sandbox;
    const base: TransportHooks = sandbox?.hooks(deps.wrapSpawn) ?? {};
    let pid: number | undefined;
    const began = performance.now();
    let spawnedAt: number | undefined;
    const hooks: TransportHooks & { connectTimeoutMs: number } = {
      ...base,
      connectTimeoutMs: deps.connectTimeoutMs,
      onConsole: (stream, line) => deps.console.push(stream, line),
      onSpawn: (proc) => {
        pid = proc.pid;
        spawnedAt = performance.now();
        base.onSpawn?.(proc);
      },
      onExit: (code, signal) => {
        const why = base.onExit?.(code, signal);
        // The slot is free only once the process is gone, whether it was stopped or died.
        releaseSlot();
        if (own) deps.onLimitKills?.(own.killedForLimit);
        return why ?? undefined;
      },
    };
    const connection = new UpstreamConnection(deps.config, hooks);
    const abandon = (): void => void connection.close();
    deps.signal?.addEventListener('abort', abandon, { once: true });
    try {
      if (deps.signal?.aborted) throw deps.signal.reason;
      await connection.connect();
    } catch (err) {
      releaseSlot();
      own?.dispose();
      throw err;
    } finally {
      deps.signal?.removeEventListener('abort', abandon);
    }
    const instance = new UpstreamInstance(connection, releaseSlot, own);
    instance.pid = pid;
    const connected = performance.now();
    instance.startTimings = spawnedAt !== undefined ? { spawnMs: spawnedAt - began, handshakeMs: connected - spawnedAt } : { handshakeMs: connected - began };
    return instance;
  }

  /** True once the connection has ended (stopped, or the process died). */
  get closed(): boolean {
    return this.ended;
  }

  /** Called once when the connection ends: with the cause when it was not asked to. */
  onEnd(listener: (err: Error | undefined) => void): void {
    if (this.ended) listener(undefined);
    else this.endListeners.add(listener);
  }

  /** Stops the process; resolves once it is gone, whoever asked first (closing twice waits too). */
  async close(): Promise<void> {
    await this.connection.close();
    let timer: NodeJS.Timeout | undefined;
    // The close event follows the process's exit; a bounded wait keeps a stuck one from holding shutdown.
    await Promise.race([this.gone, new Promise((resolve) => (timer = setTimeout(resolve, 10_000).unref()))]);
    clearTimeout(timer);
    this.end(undefined);
  }

  private end(err: Error | undefined): void {
    if (this.ended) return;
    this.ended = true;
    this.releaseSlot();
    this.ownSandbox?.dispose();
    for (const listener of this.endListeners) listener(err);
    this.endListeners.clear();
  }
}
