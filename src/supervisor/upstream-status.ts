import type { ServerConfig } from '../config/index.js';
import type { PackageSource } from '../packages/package-source.js';
import { redactOutgoing } from '../shared/redact.js';
import type { SandboxSupport } from '../sandbox/index.js';
import type { SpawnSpec } from '../sandbox/spawn-spec.js';
import type { ListKind, UpstreamConnection, UpstreamLists } from '../upstream/upstream-connection.js';
import type { LimitKind } from './exit-cause.js';
import type { InstancesStatus, SessionSource } from './instance-strategy.js';
import type { ProcessBudget } from './process-budget.js';
import type { SandboxStatus, SupervisorLog } from './server-sandbox.js';

/** The state of one supervised upstream: what `/ready` prints for it, and how it is supervised. */
export type UpstreamState = 'connecting' | 'connected' | 'backoff' | 'stopped';

/** What `/ready` prints: the supervised state, or `installing` while a `connecting` start waits for its package to be fetched. */
export type UpstreamStatusState = UpstreamState | 'installing';

export interface UpstreamStatus {
  name: string;
  transport: ServerConfig['transport'];
  state: UpstreamStatusState;
  protocolVersion?: string;
  serverInfo?: { name: string; version: string };
  lastError?: string;
  restarts: number;
  connectedAt?: string;
  tools: number;
  /** stdio servers: the sandbox backend and what it does and does not enforce. */
  sandbox?: SandboxStatus;
  /** stdio servers: processes killed per limit since the gateway started this entry. */
  killedForLimit?: Record<LimitKind, number>;
  /**
   * Servers not in `shared` mode: the mode and its processes. `state` above is then that of the
   * connection the catalog comes from (the lister, or the pool's first member).
   */
  instances?: InstancesStatus;
  /** Launcher entries (`npx -y pkg`): the packages the latest start runs, `name@version`, from the outlet's cache. */
  packages?: string[];
}

export interface ManagedUpstreamEvents {
  state: [UpstreamState];
  lists: [UpstreamLists, ReadonlySet<ListKind>];
  message: [Record<string, unknown>];
  resourceUpdated: [string, Record<string, unknown>];
}

export interface ManagedUpstreamOptions {
  connectTimeoutMs: number;
  restart: { baseMs: number; maxMs: number };
  /** Applied before the sandbox wraps the spawn. */
  wrapSpawn?: (spec: SpawnSpec) => SpawnSpec;
  /** Where sandbox warnings and limit kills are reported; the gateway connects its logger here. */
  log?: SupervisorLog;
  /** What the host offers for sandboxing; measured once per process when absent (tests inject one). */
  sandboxSupport?: SandboxSupport;
  /** The gateway-wide process cap, shared by every upstream (the supervisor makes one). */
  budget?: ProcessBudget;
  /** The gateway's inbound sessions: per-session servers follow them. */
  sessions?: SessionSource;
  /** Published with each connect attempt and each call, so observability records only its own gateway's upstreams. */
  owner?: object;
  /** The outlet's fetch step: launcher entries (`npx -y pkg`) start from its shared read-only cache. Absent: they run as written. */
  packages?: PackageSource;
}

/** The parts of a managed upstream its status is made of. */
export interface StatusParts {
  name: string;
  transport: ServerConfig['transport'];
  state: UpstreamStatusState;
  conn?: UpstreamConnection;
  lastError?: string;
  restarts: number;
  connectedAt?: Date;
  sandbox?: SandboxStatus;
  killedForLimit?: Record<LimitKind, number>;
  instances?: InstancesStatus;
  packages?: string[];
}

export function describeUpstream(p: StatusParts): UpstreamStatus {
  const protocolVersion = p.conn?.protocolVersion;
  const serverInfo = p.conn?.serverInfo;
  return {
    name: p.name,
    transport: p.transport,
    state: p.state,
    ...(protocolVersion ? { protocolVersion } : {}),
    ...(serverInfo ? { serverInfo: { name: serverInfo.name, version: serverInfo.version } } : {}),
    ...(p.lastError ? { lastError: redactOutgoing(p.lastError) } : {}),
    restarts: p.restarts,
    ...(p.connectedAt ? { connectedAt: p.connectedAt.toISOString() } : {}),
    tools: p.conn?.lists.tools.length ?? 0,
    ...(p.sandbox ? { sandbox: p.sandbox, killedForLimit: { ...p.killedForLimit! } } : {}),
    ...(p.instances ? { instances: p.instances.lastError ? { ...p.instances, lastError: redactOutgoing(p.instances.lastError) } : p.instances } : {}),
    ...(p.packages ? { packages: [...p.packages] } : {}),
  };
}
