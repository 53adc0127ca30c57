import type { ServerConfig } from '../config/index.js';
import type { UpstreamConnection } from '../upstream/upstream-connection.js';
import type { ConsoleBuffer } from './console-buffer.js';
import type { LimitKind } from './exit-cause.js';
import type { InstancesStatus, InstanceStrategy, Lease } from './instance-strategy.js';
import { loadedProcessMachinery, loadProcessMachinery, type ProcessMachinery } from './process-loader.js';
import type { ServerSandbox, SupervisorLog } from './server-sandbox.js';
import { UpstreamInstance, type InstanceDeps } from './upstream-instance.js';
import { describeUpstream, type ManagedUpstreamOptions, type StatusParts, type UpstreamStatus } from './upstream-status.js';

/** What the managed upstream lends its processes: its console and its own connection. */
export interface ProcessesHost {
  console: ConsoleBuffer;
  primary: () => UpstreamConnection | undefined;
  broadcast: (params: Record<string, unknown>) => void;
}

/**
 * How one server's processes are started (under the process cap, each in a sandbox, console into
 * the server's buffer) and, beyond the managed upstream's own connection, how many run and which
 * serves a call: the strategy of its instance mode. Also the kill counts of instances that ended.
 */
export class ServerProcesses {
  /** The sandbox of the managed upstream's own process, kept across its restarts. */
  private ownSandbox?: ServerSandbox;
  private strategy?: InstanceStrategy;
  private readonly kills: Record<LimitKind, number> = { memory: 0, wallClock: 0, output: 0 };
  /** Egress refusals in the instances' sandboxes (the managed upstream's own sandbox counts its own). */
  private instanceEgressRefused = 0;
  private readonly logged = new Set<string>();
  /** Every process of this server that is running or starting, so that stop() can wait for all. */
  private readonly live = new Set<UpstreamInstance>();
  private readonly starting = new Set<Promise<void>>();
  /** Stopping the server abandons starts still under way (a hung server would otherwise hold stop for connectTimeoutMs). */
  private readonly stopping = new AbortController();
  /** Starts waiting on the fetch step (registry or install): `/ready` shows `installing` meanwhile. */
  private installing = 0;
  /** `name@version` of the packages the latest start of a launcher entry runs. */
  private packages?: string[];

  /** `instances` asks for no strategy: every call uses the managed upstream's own connection. */
  private readonly sharedMode: boolean;
  /** Set while the process machinery loads for this command server (only the first one in a process waits). */
  private equipping?: Promise<void>;

  constructor(
    private readonly config: ServerConfig,
    private readonly options: ManagedUpstreamOptions,
    private readonly host: ProcessesHost,
  ) {
    this.sharedMode = config.transport !== 'stdio' || config.instances === undefined || config.instances.mode === 'shared';
    if (config.transport !== 'stdio') return;
    // A URL server never loads the sandbox and instance modes: a fetch runtime cannot spawn.
    const machinery = loadedProcessMachinery();
    if (machinery) this.equip(machinery);
    else {
      this.equipping = loadProcessMachinery().then((m) => this.equip(m));
      // Its failure is the start's to report (startPrimary awaits it); a server never started has none.
      void this.equipping.catch(() => undefined);
    }
  }

  get sandbox(): ServerSandbox | undefined {
    return this.ownSandbox;
  }

  /** A command server's sandbox and the strategy of its instance mode. */
  private equip({ ServerSandbox, createInstanceStrategy, capWaitMs }: ProcessMachinery): void {
    const { config, options, host } = this;
    if (config.transport !== 'stdio') return;
    this.ownSandbox = new ServerSandbox(config.name, config.sandbox, options.log ?? (() => undefined), options.sandboxSupport);
    const warmup = config.instances && 'warmup' in config.instances ? config.instances.warmup : [];
    const launch = async (): Promise<UpstreamInstance> => {
      const sandbox = new ServerSandbox(config.name, config.sandbox, this.instanceLog, options.sandboxSupport, () => this.instanceEgressRefused++);
      const instance = await this.track(this.launchConfig(sandbox).then((run) => UpstreamInstance.start(this.deps(run, capWaitMs(config.instances, options.connectTimeoutMs)), sandbox)));
      // The server's own first-call cost (lazy compilation, caches) is paid here, before a caller waits on it.
      for (const request of warmup) await instance.connection.request(request.method, request.params, { timeoutMs: options.connectTimeoutMs }).catch(() => undefined);
      return instance;
    };
    this.strategy = createInstanceStrategy(config.instances, {
      server: config.name,
      launch,
      primary: host.primary,
      broadcast: host.broadcast,
      ...(options.sessions ? { sessions: options.sessions } : {}),
      blocked: () => {
        const budget = options.budget;
        // Only a start that is actually queued for a slot was held up by the cap (not a slow one).
        return budget && budget.queued > 0 ? `${budget.name.what} (${budget.name.setting} = ${budget.limit}) is reached` : undefined;
      },
    });
  }

  /** Starts the managed upstream's own process (in its long-lived sandbox), under the cap. */
  startPrimary(): Promise<UpstreamInstance> {
    const run = this.equipping ? this.equipping.then(() => this.launchConfig(this.sandbox)) : this.launchConfig(this.sandbox);
    return this.track(run.then((config) => UpstreamInstance.start(this.deps(config, this.options.connectTimeoutMs, this.sandbox))));
  }

  /**
   * The config this start runs: a launcher entry's package is fetched by the outlet first (its own
   * timeout, before the process slot and the connect timeout), then run from the read-only cache.
   */
  private async launchConfig(sandbox: ServerSandbox | undefined): Promise<ServerConfig> {
    const fetcher = this.options.packages;
    if (!fetcher || this.config.transport !== 'stdio') return this.config;
    let counted = false;
    const onInstalling = (): void => {
      if (!counted) this.installing++;
      counted = true;
    };
    const root = this.options.sandboxSupport?.root ?? process.getuid?.() === 0;
    try {
      // Loaded here, not with this module: only a stdio server with a fetch step needs it (a fetch runtime never does).
      const { launchConfig } = await import('../packages/launch-config.js');
      const run = await abortable(launchConfig(this.config, fetcher, { onInstalling }, root), this.stopping.signal);
      if (run.packageDir) sandbox?.mountPackage(run.packageDir);
      if (run.packages) this.packages = run.packages;
      return run.config;
    } finally {
      if (counted) this.installing--;
    }
  }

  private track(start: Promise<UpstreamInstance>): Promise<UpstreamInstance> {
    const settled = start.then(
      (instance) => {
        this.live.add(instance);
        instance.onEnd(() => this.live.delete(instance));
      },
      () => undefined,
    );
    this.starting.add(settled);
    void settled.then(() => this.starting.delete(settled));
    return start;
  }

  private deps(config: ServerConfig, budgetWaitMs: number, sandbox?: ServerSandbox): InstanceDeps {
    const { connectTimeoutMs, wrapSpawn, budget } = this.options;
    return {
      config,
      connectTimeoutMs,
      console: this.host.console,
      budgetWaitMs,
      ...(wrapSpawn ? { wrapSpawn } : {}),
      ...(budget ? { budget } : {}),
      ...(sandbox ? { sandbox } : {}),
      signal: this.stopping.signal,
      onLimitKills: (k) => {
        for (const kind of Object.keys(k) as LimitKind[]) this.kills[kind] += k[kind];
      },
    };
  }

  get shared(): boolean {
    return this.sharedMode;
  }

  start(): void {
    this.strategy?.start();
  }

  acquire(sessionKey: string | undefined, signal?: AbortSignal): Promise<Lease> {
    if (this.equipping && !this.strategy) return this.equipping.then(() => this.strategy!.acquire(sessionKey, signal));
    return this.strategy!.acquire(sessionKey, signal);
  }

  sessionClosed(key: string): void {
    this.strategy?.sessionClosed(key);
  }

  /** The managed upstream's status with what this adds: sandbox (egress refusals: own and instances'), kills per limit (same), instances. */
  describe(parts: Omit<StatusParts, 'sandbox' | 'killedForLimit' | 'instances'>): UpstreamStatus {
    const own = this.sandbox?.killedForLimit;
    const kills = own && { memory: own.memory + this.kills.memory, wallClock: own.wallClock + this.kills.wallClock, output: own.output + this.kills.output };
    const instances: InstancesStatus | undefined = this.strategy?.status();
    const sandbox = this.sandbox?.status();
    if (sandbox?.egressRefused !== undefined) sandbox.egressRefused += this.instanceEgressRefused;
    const state = parts.state === 'connecting' && this.installing > 0 ? 'installing' : parts.state;
    return describeUpstream({ ...parts, state, ...(this.packages ? { packages: this.packages } : {}), ...(sandbox ? { sandbox, killedForLimit: kills! } : {}), ...(instances ? { instances } : {}) });
  }

  /** Stops every instance; the sandbox goes once the managed upstream's own process (`primary`) is gone too. */
  async stop(primary?: Promise<void>): Promise<void> {
    this.stopping.abort(new Error(`upstream "${this.config.name}" stopped`));
    await Promise.all([primary, this.strategy?.stop()]);
    // Starts still under way, and processes whose stop was put off to a later turn, end before
    // this resolves: a gateway that exits right after must not leave processes or scratch dirs.
    await Promise.all(this.starting);
    await Promise.all([...this.live].map((i) => i.close()));
    this.sandbox?.dispose();
  }

  /** Each instance has a sandbox of its own, whose say-once lines would otherwise repeat per process. */
  private readonly instanceLog: SupervisorLog = (level, msg, data) => {
    const key = data?.limit !== undefined ? undefined : level === 'info' ? 'info' : msg;
    if (key !== undefined && this.logged.has(key)) return;
    if (key !== undefined) this.logged.add(key);
    this.options.log?.(level, msg, data);
  };
}

/** A stopped server does not wait for a fetch it started (the install itself goes on for the others). */
function abortable<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
