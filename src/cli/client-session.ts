import { Client, InMemoryTransport, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { Gateway } from '../gateway/gateway.js';
import { loadCliConfig } from './config-warnings.js';
import { createLogger } from '../observability/logger.js';
import { explainingFetch } from '../upstream/network-error.js';
import { PACKAGE_VERSION } from './version.js';

export interface ClientTarget {
  url?: string;
  config?: string;
  /** A bearer token (API key or JWT) for a gateway that requires authentication; used with `url` only. */
  token?: string;
}

export interface OpenClient {
  client: Client;
  /** The gateway started in this process (`--config` or the default); absent with `--url`. */
  gateway?: Gateway;
  /** With `--url`: the MCP endpoint connected to (a bare origin becomes `/mcp`). */
  url?: URL;
  close(): Promise<void>;
}

/**
 * Opens an MCP client for `outlet list` / `outlet call`: to a running gateway (`--url`), or to a
 * gateway started in this process from a config file (`--config`, or the embedded default), joined
 * by an in-memory transport, so both paths go through the same MCP surface a real client sees.
 */
export async function openClient(target: ClientTarget): Promise<OpenClient> {
  const client = new Client({ name: 'outlet-cli', version: PACKAGE_VERSION }, { versionNegotiation: { mode: 'auto' } });
  if (target.url) {
    const url = new URL(target.url);
    if (url.pathname === '/' || url.pathname === '') url.pathname = '/mcp';
    // An auth provider rather than a fixed header: the SDK asks it before every request, and a
    // 401 then surfaces as an authentication error instead of a generic HTTP failure.
    const token = target.token;
    // A gateway that is not there is named with the errno and address, not "fetch failed".
    const transport = new StreamableHTTPClientTransport(url, { fetch: explainingFetch(), ...(token ? { authProvider: { token: () => Promise.resolve(token) } } : {}) });
    try {
      await client.connect(transport);
    } catch (err) {
      throw explainRefusal(err, url, token !== undefined);
    }
    return { client, url, close: () => client.close() };
  }
  const { config, dispose } = await loadCliConfig(target.config);
  let gateway: Gateway;
  try {
    gateway = await Gateway.start(config, { logger: createLogger(process.env.OUTLET_LOG_LEVEL ?? 'warn') });
  } catch (err) {
    dispose();
    throw err;
  }
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const { server } = gateway.createServer({ kind: 'aggregate' }, { era: 'legacy', transport: 'stdio' });
  await server.connect(serverSide);
  await client.connect(clientSide);
  return {
    client,
    gateway,
    close: async () => {
      try {
        await client.close();
        await gateway.close();
      } finally {
        dispose();
      }
    },
  };
}

/** A connection refused for want of credentials, said in terms of the CLI's options. */
export function explainRefusal(err: unknown, url: URL, hadToken: boolean): unknown {
  const text = err instanceof Error ? `${err.name} ${err.message}` : String(err);
  if (!/\b401\b|unauthori[sz]ed/i.test(text)) return err;
  return new Error(
    hadToken
      ? `the gateway at ${url.origin} refused the token (401): check --token / $OUTLET_TOKEN`
      : `the gateway at ${url.origin} requires authentication: pass --token <token> or set $OUTLET_TOKEN`,
  );
}
