import type { ServerConfig } from '../config/index.js';
import type { SandboxSupport } from '../sandbox/index.js';
import type { SpawnSpec } from '../upstream/stdio-transport.js';
import type { LimitKind } from './exit-cause.js';
import type { SandboxStatus, SupervisorLog } from './server-sandbox.js';

/** The state of one supervised upstream: what `/ready` prints for it, and how it is supervised. */
export type UpstreamState = 'connecting' | 'connected' | 'backoff' | 'stopped';

export interface UpstreamStatus {
  name: string;
  transport: ServerConfig['transport'];
  state: UpstreamState;
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
}
