import type { SecuritySections } from './auth-schema.js';
import type { ObservabilityConfig } from './observability-schema.js';
import type { CallsConfig, HealthConfig } from './calls-schema.js';
import type { ConfigIssue } from './issues.js';
import type { HttpConfig } from './gateway-schema.js';
import type { RpcConfig } from './rpc-schema.js';
import type { PackagesConfig } from './packages-schema.js';
import type { CodeModeConfig, CodeModeKind } from './code-mode-schema.js';
import type { SandboxProfile } from './sandbox-profile.js';
import type { SandboxProfileInput } from './sandbox-schema.js';

/**
 * The normalized configuration: what the rest of the outlet consumes. Every default is filled in,
 * every path is absolute and every cross-field rule has been checked, so consumers never re-validate.
 */

/** How the outlet negotiates the MCP protocol version with one upstream. */
export type UpstreamProtocol = 'auto' | 'legacy' | '2026-07-28';

/** Fields every server entry has, whatever its transport. */
export interface ServerCommon {
  /** The key of the entry in the config file; also the URL segment in `/servers/<name>/mcp`. */
  name: string;
  enabled: boolean;
  /** Namespace prefix of this server's tools, prompts and resources (`prefix ?? name`). */
  prefix: string;
  /** Globs on the upstream's own, unprefixed tool names. An empty `include` means "all tools". */
  tools: { include: string[]; exclude: string[] };
  /** Per-request timeout towards this upstream, in milliseconds. */
  timeoutMs: number;
  protocol: UpstreamProtocol;
  /** Limits on each call: hard cap, per-tool timeouts, concurrency and queue, circuit breaker. */
  calls: CallsConfig;
  /** Ping probes while connected; a stuck server is restarted. */
  health: HealthConfig;
  /** How this server's own endpoint presents tools, when the entry sets it (else the gateway's codeMode.mode). */
  codeMode?: CodeModeKind;
}

/** An upstream the outlet starts as a child process and talks to over stdin/stdout. */
export interface StdioServerConfig extends ServerCommon {
  transport: 'stdio';
  command: string;
  args: string[];
  env: Record<string, string>;
  /** Absolute working directory of the child process. */
  cwd: string;
  /** How the process is confined: the entry's `sandbox` over the gateway default, every default filled in. */
  sandbox: SandboxProfile;
  /** How many processes run and who uses which; absent means `{ mode: 'shared' }` (one for everyone). */
  instances?: InstancesConfig;
}

/**
 * The instance mode of a stdio server, with that mode's defaults filled in: `shared` (one
 * process), `per-session` (one per inbound session), `per-request` (a fresh one per request, from
 * warm spares) or `pool` (`size` processes, each call to the least busy).
 */
export type InstancesConfig =
  | { mode: 'shared' }
  | { mode: 'pool'; size: number }
  | { mode: 'per-request'; spares: number; acquireTimeoutMs: number; warmup: WarmupRequest[] }
  | { mode: 'per-session'; spares: number; max: number; idleTimeoutMs: number; acquireTimeoutMs: number; warmup: WarmupRequest[] };

/** A request sent to a fresh process before it joins the spares (its answer is ignored). */
export interface WarmupRequest {
  method: string;
  params?: Record<string, unknown>;
}

/** An upstream reached over HTTP (Streamable HTTP, or the older HTTP+SSE transport). */
export interface HttpServerConfig extends ServerCommon {
  transport: 'streamable-http' | 'sse';
  url: string;
  headers: Record<string, string>;
}

export type ServerConfig = StdioServerConfig | HttpServerConfig;

/** The whole gateway configuration after parsing and normalization. */
export interface OutletConfig extends SecuritySections {
  listen: { host: string; port: number };
  namespace: { separator: string };
  startup: { listWaitMs: number };
  upstream: { requestTimeoutMs: number; connectTimeoutMs: number; drainTimeoutMs: number };
  http: HttpConfig;
  reload: { watch: boolean };
  /** The gateway-wide sandbox default as written, paths made absolute (each stdio entry carries its resolved profile). */
  sandbox: SandboxProfileInput;
  /** Gateway-wide limits, when the file sets them (otherwise `maxProcesses` is DEFAULT_MAX_PROCESSES). */
  limits?: { maxProcesses: number };
  /** Tracing, metrics, request log lines and the audit stream: what the gateway reports about itself. */
  observability: ObservabilityConfig;
  /** POST /rpc and the servers a request may describe inline (`_meta["outlet/server"]`), with the operator's cage for them. */
  rpc: RpcConfig;
  /** Packages that launcher entries name, fetched by the outlet into a shared read-only cache. */
  packages: PackagesConfig;
  /** Code mode: how endpoints present tools, and the bounds of execute_code programs. */
  codeMode: CodeModeConfig;
  /** Every configured server (disabled ones included), in the order the file lists them. */
  servers: Record<string, ServerConfig>;
  /** absolute path of the file it came from, if any */
  source?: string;
  /**
   * What the parser accepted but ignored or changed, with the path of each (a pasted client file's
   * own keys, `autoApprove` lists, an unset `${env:VAR}`); the CLI prints them. Absent when none.
   */
  warnings?: ConfigIssue[];
}
