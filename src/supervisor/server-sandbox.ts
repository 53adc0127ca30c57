import { armWallClock, createSandboxWrapper, type SandboxedSpawn, type SandboxProfile, type SandboxSupport, type SandboxWrapper } from '../sandbox/index.js';
import type { TransportHooks } from '../upstream/client-transport.js';
import { containerBackendLabel } from '../sandbox/container-spawn.js';
import { parseContainerEntry } from '../config/container-entry.js';
import type { SpawnSpec } from '../sandbox/spawn-spec.js';
import { exitCause, type LimitKind } from './exit-cause.js';

/** The supervisor's log, connected to the gateway's logger by whoever builds the supervisor. */
export type SupervisorLog = (level: 'info' | 'warn' | 'error', msg: string, data?: Record<string, unknown>) => void;

/** What `/ready` shows of one server's sandbox. */
export interface SandboxStatus {
  /** The profile's backend, or what cages a container entry, e.g. "container (podman)". */
  backend: SandboxProfile['backend'] | `container (${string})`;
  /** One line per protection in force for the latest process (empty before the first spawn). */
  enforced: string[];
  /** One line per requested protection not in force here, with the reason. */
  notEnforced: string[];
  warning?: string;
  /** Host paths the latest process may write (data directories, its scratch); absent before the first spawn or when unknown. */
  writable?: string[];
  /** `network: { allow }` only: destinations the egress proxies refused, over every process of the server (instances too). */
  egressRefused?: number;
}

/**
 * The sandbox side of one supervised stdio server: it wraps each spawn (one sandbox per process),
 * arms the wall clock, hands the output limit to the transport, works out why a process ended
 * (counting kills per limit), releases the sandbox after each exit, and logs what is not confined
 * (once per distinct message, so a crash loop does not flood the log).
 */
export class ServerSandbox {
  readonly killedForLimit: Record<LimitKind, number> = { memory: 0, wallClock: 0, output: 0 };
  egressRefused = 0;
  /** Why the latest process ended, in words; undefined while it runs. */
  lastExit?: string;
  private readonly wrapper: SandboxWrapper;
  private disarm: () => void = () => undefined;
  private killedFor?: { kind: 'wallClock' | 'output'; detail?: string };
  private readonly logged = new Set<string>();
  private spawned = false;
  /** Set at the first spawn of a container entry, before its engine is asked: /ready names it even when that fails. */
  private container?: SandboxStatus['backend'];

  private readonly profile: SandboxProfile;
  private packageMount?: string;

  constructor(
    private readonly server: string,
    profile: SandboxProfile,
    private readonly log: SupervisorLog,
    support?: SandboxSupport,
    /** Told of each egress refusal too (an instance's sandbox: the server's count has them all). */
    onEgressRefused?: () => void,
  ) {
    // A copy whose mounts this sandbox may add to (the package a launcher entry runs from).
    this.profile = { ...profile, mounts: [...profile.mounts] };
    this.wrapper = createSandboxWrapper(this.profile, support, {
      onSpawn: (r) => this.report(r),
      onEgressRefused: (r) => {
        this.egressRefused++;
        onEgressRefused?.();
        // Once per destination: a server retrying a refused host would otherwise flood the log; the count has every one.
        this.once('warn', `sandbox of "${this.server}" refused egress to ${r.host}:${r.port}: ${r.reason}`, { server: this.server, host: r.host, port: r.port, method: r.method });
      },
    });
  }

  /** The transport hooks that apply this sandbox to the next process; `outer` rewrites the spawn first. */
  hooks(outer: (spec: SpawnSpec) => SpawnSpec = (spec) => spec): TransportHooks {
    return {
      wrapSpawn: (spec) => {
        this.killedFor = undefined;
        this.lastExit = undefined;
        const inner = outer(spec);
        const entry = parseContainerEntry(inner.command, inner.args);
        if (entry) this.container = containerBackendLabel(entry);
        return this.wrapper.wrapSpawn(inner);
      },
      stdioLimits: () => ({ ...(this.wrapper.last?.supervise.outputBytesPerSecond !== undefined ? { outputBytesPerSecond: this.wrapper.last.supervise.outputBytesPerSecond } : {}) }),
      onSpawn: ({ kill }) => {
        this.disarm = armWallClock(this.wrapper.last?.supervise.wallClockSeconds, () => {
          this.killedFor = { kind: 'wallClock' };
          kill();
        });
      },
      onLimitKill: (detail) => (this.killedFor = { kind: 'output', detail }),
      onExit: (code, signal) => {
        this.disarm();
        const cause = exitCause({ server: this.server, code, signal, usage: this.wrapper.current?.usage?.() ?? {}, limits: this.profile.limits, ...(this.killedFor ? { killedFor: this.killedFor } : {}) });
        this.wrapper.onExit(); // after reading usage: this removes the cgroups that hold it
        this.lastExit = cause.text;
        if (cause.limit) {
          this.killedForLimit[cause.limit]++;
          this.log('warn', cause.text, { server: this.server, limit: cause.limit, code, signal });
        }
        return cause.text;
      },
    };
  }

  /**
   * Binds `path` read-only into this sandbox's next processes: the package directory the outlet's
   * fetch step installed, bound explicitly so it is there whatever the automatic binds cover. It
   * replaces the one bound before (a refreshed version), which may since have been removed.
   */
  mountPackage(path: string): void {
    const previous = this.packageMount;
    this.packageMount = path;
    if (previous === path) return;
    const kept = this.profile.mounts.filter((m) => m.path !== previous);
    this.profile.mounts.splice(0, this.profile.mounts.length, ...kept, { path, mode: 'ro' });
  }

  status(): SandboxStatus {
    const last = this.wrapper.last;
    return {
      backend: this.container ?? this.profile.backend,
      enforced: last?.enforced ?? [],
      notEnforced: last?.notEnforced ?? [],
      ...(last?.warning ? { warning: last.warning } : {}),
      ...(last?.writable ? { writable: last.writable } : {}),
      ...(typeof this.profile.network === 'object' ? { egressRefused: this.egressRefused } : {}),
    };
  }

  /** Releases every sandbox still held (on stop and removal). */
  dispose(): void {
    this.disarm();
    this.wrapper.dispose();
  }

  private report(result: SandboxedSpawn): void {
    const data = { server: this.server, backend: this.container ?? this.profile.backend };
    const first = !this.spawned;
    this.spawned = true;
    if (result.warning) this.once(result.warning.startsWith('SANDBOX DISABLED') ? 'error' : 'warn', result.warning, data);
    if (result.notEnforced.length > 0) this.once('warn', `sandbox of "${this.server}" does not enforce: ${result.notEnforced.join('; ')}`, data);
    // Logged for the first process only: the lines name its scratch dir, which changes per spawn.
    if (result.enforced.length > 0 && first) this.log('info', `sandbox of "${this.server}" enforces: ${result.enforced.join('; ')}`, data);
  }

  private once(level: 'info' | 'warn' | 'error', msg: string, data: Record<string, unknown>): void {
    if (this.logged.has(msg)) return;
    this.logged.add(msg);
    this.log(level, msg, data);
  }
}
