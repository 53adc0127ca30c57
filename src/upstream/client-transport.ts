import { SSEClientTransport, StreamableHTTPClientTransport, type Transport } from '@modelcontextprotocol/client';
import type { HttpServerConfig, ServerConfig } from '../config/index.js';
import { explainingFetch } from './network-error.js';
import type { SpawnSpec } from '../sandbox/spawn-spec.js';
import type { StdioTransportOptions } from './stdio-transport.js';
import { splitUrlCredentials } from './url-credentials.js';

/** What the supervisor hooks into a stdio upstream's process (HTTP upstreams ignore them all). */
export interface TransportHooks {
  onConsole?: (stream: 'stderr' | 'stdout', line: string) => void;
  /** The process ended; may return why, which the errors of calls it left unanswered quote. */
  onExit?: StdioTransportOptions['onExit'];
  /** Rewrites a stdio spawn (the sandbox layer wraps the command here). */
  wrapSpawn?: (spec: SpawnSpec) => SpawnSpec;
  /** Limits the transport enforces itself; read after `wrapSpawn`, which decides them per spawn. */
  stdioLimits?: () => { outputBytesPerSecond?: number };
  /** The process runs: its pid and a kill switch for its group (for the wall clock). */
  onSpawn?: StdioTransportOptions['onSpawn'];
  /** The transport killed the process for flooding past its output limit. */
  onLimitKill?: StdioTransportOptions['onLimitKill'];
}

/**
 * What builds the SDK transport for one server entry: stdio, Streamable HTTP or legacy SSE. The
 * stdio side (process spawning, its sandbox helpers) is loaded by the first command entry that
 * starts: a runtime that cannot spawn processes (a Worker) serves only URL entries and never loads it.
 */
export async function clientTransportFor(config: ServerConfig): Promise<(hooks: TransportHooks) => Transport> {
  if (config.transport === 'stdio') {
    const { createStdioTransport } = await import('./stdio-client.js');
    return (hooks) => createStdioTransport(config, hooks);
  }
  return () => createHttpTransport(config);
}

function createHttpTransport(config: HttpServerConfig): Transport {
  const { url, headers } = splitUrlCredentials(new URL(config.url), config.headers);
  const requestInit: RequestInit = { headers };
  // Network failures name the address and the errno, not just "fetch failed".
  const networkFetch = explainingFetch();
  if (config.transport === 'sse') {
    // The legacy transport opens its event stream with fetch too; headers go on both legs.
    return new SSEClientTransport(url, { requestInit, fetch: networkFetch, eventSourceInit: { fetch: withHeaders(headers, networkFetch) } as never });
  }
  return new StreamableHTTPClientTransport(url, { requestInit, fetch: networkFetch });
}

function withHeaders(headers: Record<string, string>, inner: typeof fetch): typeof fetch {
  return (input, init) => {
    const merged = new Headers(init?.headers);
    for (const [k, v] of Object.entries(headers)) merged.set(k, v);
    return inner(input, { ...init, headers: merged });
  };
}
