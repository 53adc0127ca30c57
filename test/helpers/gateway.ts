import type { Client, FetchLike } from '@modelcontextprotocol/client';
import { parseConfig } from '../../src/config/index.js';
import { Gateway } from '../../src/gateway/gateway.js';
import { createHttpApp } from '../../src/inbound/http/http-app.js';
import { silentLogger, type Logger } from '../../src/observability/logger.js';
import { startOutlet } from '../../src/outlet/runtime.js';
import { connectHttpClient, eventually, type ClientEra } from './outlet.js';
import { legacyRequest, modernRequest, readAnswer, type Era, type Fetcher, type RawAnswer } from './mcp-request.js';
import { connectMemoryClient } from './memory-client.js';

export interface TestGatewayOptions {
  /**
   * Serve on a real socket (127.0.0.1, a free port) through the outlet runtime, for tests that
   * need the wire (SSE streams, Node's own header parsing, timeouts, other processes calling in).
   * Without it the HTTP app answers in process: no socket, no port.
   */
  listen?: boolean;
  /** Wait until every enabled upstream is connected (/ready answers 200) before returning. */
  ready?: boolean;
  logger?: Logger;
  baseDir?: string;
}

export interface RequestOptions {
  /** `/mcp` (the default) or a per-server route such as `/servers/<name>/mcp`. */
  route?: string;
  era?: Era;
  headers?: Record<string, string>;
}

export interface ClientOptions {
  era?: Era | ClientEra;
  route?: string;
  capabilities?: Record<string, unknown>;
  /** `memory`: the stdio way in (gateway.createServer over InMemoryTransport), 2025-era only. */
  over?: 'http' | 'memory';
}

export interface TestGateway extends AsyncDisposable {
  readonly gateway: Gateway;
  /** Base URL: the listening one, or a loopback name the in-process fetch answers for. */
  readonly url: string;
  /** A raw HTTP request to a path of the gateway (through the socket only when listening). */
  fetch: Fetcher;
  /** Options for an SDK transport built by hand (Streamable HTTP or SSE) on `url`: the in-process fetch, or nothing when listening. */
  readonly transport: { fetch?: FetchLike };
  /** One JSON-RPC request: stateless for `modern` (the default), in a session of its own for `legacy`. */
  request(method: string, params?: Record<string, unknown>, options?: RequestOptions): Promise<RawAnswer>;
  /** An SDK client connected to the gateway; closed with it. */
  client(options?: ClientOptions): Promise<Client>;
  /** Resolves when /ready answers 200 (every enabled upstream connected). */
  ready(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

const ERA_VERSION: Record<Era, ClientEra> = { legacy: '2025-11-25', modern: '2026-07-28' };
/** In process there is no socket, but the origin guard still checks Host against the loopback names. */
const IN_PROCESS_URL = 'http://localhost';

function pathOf(input: string | URL): string {
  const url = new URL(input);
  return `${url.pathname}${url.search}`;
}

/**
 * A gateway for one test or suite, from a raw config object (as a config file holds it):
 * `await using gw = await testGateway({ servers: { tiny: tinyServer() } })` closes it, its
 * clients and its upstreams when the block ends.
 */
export async function testGateway(raw: Record<string, unknown>, options: TestGatewayOptions = {}): Promise<TestGateway> {
  const config = parseConfig(raw, { baseDir: options.baseDir ?? process.cwd() });
  const logger = options.logger ?? silentLogger();
  let gateway: Gateway;
  let url: string;
  let fetcher: Fetcher;
  let stop: () => Promise<void>;
  if (options.listen) {
    const runtime = await startOutlet({ config, host: '127.0.0.1', port: 0, logger });
    ({ gateway, url } = runtime);
    fetcher = (path, init) => fetch(`${url}${path}`, init);
    stop = () => runtime.close();
  } else {
    gateway = await Gateway.start({ ...config, listen: { host: '127.0.0.1', port: 0 } }, { logger });
    const app = createHttpApp(gateway);
    url = IN_PROCESS_URL;
    fetcher = async (path, init) => {
      const headers = new Headers(init?.headers);
      if (!headers.has('host')) headers.set('host', new URL(IN_PROCESS_URL).host);
      return app.fetch(new Request(`${IN_PROCESS_URL}${path}`, { ...init, headers }));
    };
    stop = () => gateway.close();
  }
  const transport = options.listen ? {} : { fetch: ((input, init) => fetcher(pathOf(input), init)) satisfies FetchLike };
  const clients = new Set<Client>();
  let closed: Promise<void> | undefined;
  const gw: TestGateway = {
    gateway,
    url,
    fetch: fetcher,
    transport,
    async request(method, params = {}, { route = '/mcp', era = 'modern', headers = {} } = {}) {
      if (era === 'legacy') return legacyRequest(fetcher, route, method, params, headers);
      const request = modernRequest(method, params);
      return readAnswer(await fetcher(route, { method: 'POST', headers: { ...request.headers, ...headers }, body: request.body }));
    },
    async client({ era = 'legacy', route = '/mcp', capabilities = {}, over = 'http' } = {}) {
      const version = era === 'legacy' || era === 'modern' ? ERA_VERSION[era] : era;
      const client =
        over === 'memory'
          ? await connectMemoryClient(gateway, capabilities)
          : await connectHttpClient(`${url}${route}`, version, capabilities, transport);
      clients.add(client);
      return client;
    },
    ready: (timeoutMs = 20_000) => eventually(async () => (await fetcher('/ready')).status === 200, timeoutMs).then(() => undefined),
    close() {
      closed ??= (async () => {
        await Promise.all([...clients].map((c) => c.close().catch(() => undefined)));
        await stop();
      })();
      return closed;
    },
    [Symbol.asyncDispose]: () => gw.close(),
  };
  if (options.ready) {
    try {
      await gw.ready();
    } catch (err) {
      await gw.close();
      throw err;
    }
  }
  return gw;
}
