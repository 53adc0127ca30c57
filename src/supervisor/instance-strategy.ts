import type { Notification } from '@modelcontextprotocol/server';
import type { InstancesConfig } from '../config/index.js';
import type { UpstreamConnection } from '../upstream/upstream-connection.js';
import type { UpstreamInstance } from './upstream-instance.js';

/** A connection lent to one call; `release` ends the loan (and, per request, the process). */
export interface Lease {
  connection: UpstreamConnection;
  release: () => void;
}

/** What `/ready` shows of a server's instances, beside its (primary or lister) connection. */
export interface InstancesStatus {
  mode: InstancesConfig['mode'];
  /** Processes running for calls (the shared, lister or pool connection not counted). */
  running: number;
  /** Calls holding an instance now. */
  busy: number;
  pids: number[];
  spares?: number;
  starting?: number;
  /** Calls waiting for a fresh instance. */
  waiting?: number;
  /** per-session: sessions holding a process, and the cap. */
  sessions?: number;
  max?: number;
  /** pool: the configured size (the primary connection included). */
  size?: number;
  /** Instances handed out since start (per-request: one per request). */
  served?: number;
  lastError?: string;
}

/** What a per-session server needs of the inbound session it serves: where its notifications go, and the log threshold it chose. */
export interface SessionSink {
  /** The level the client asked for with logging/setLevel; unset means it did not opt in. */
  readonly logLevel?: string;
  notify(notification: Notification): Promise<void>;
}

/** The inbound sessions a per-session server follows, and the event of one closing (the protocol layer's session registry). */
export interface SessionSource {
  get(key: string): SessionSink | undefined;
  onClose(listener: (key: string) => void): void;
}

/** What every non-shared mode gets from its managed upstream. */
export interface StrategyDeps {
  server: string;
  /** Starts one more instance (under the process cap), connected and listed. */
  launch: () => Promise<UpstreamInstance>;
  /** The managed upstream's own connection while it is up (pool mode dispatches to it too). */
  primary: () => UpstreamConnection | undefined;
  /** An instance's log line that no call claimed and that has no session to go to. */
  broadcast: (params: Record<string, unknown>) => void;
  sessions?: SessionSource;
  /** Why no process can start now (the gateway's process cap is reached), for the errors of callers who waited. */
  blocked?: () => string | undefined;
}

/**
 * How the calls of one server are spread over processes: the mode of `instances`. `shared` needs
 * no strategy (every call uses the managed upstream's connection).
 */
export interface InstanceStrategy {
  start(): void;
  /** An instance for one call; `sessionKey` is the caller's (`ctx.channel.sessionKey`); `signal` ends a wait. */
  acquire(sessionKey: string | undefined, signal?: AbortSignal): Promise<Lease>;
  /** An inbound session ended: per-session mode stops its process. */
  sessionClosed(key: string): void;
  status(): InstancesStatus;
  stop(): Promise<void>;
}

/** A release that acts only the first time: a lease ends once, whoever calls it again. */
export function releaseOnce(release: () => void): () => void {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    release();
  };
}
