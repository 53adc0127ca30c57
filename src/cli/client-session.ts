import { Client, InMemoryTransport, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { Gateway } from '../gateway/gateway.js';
import { resolveConfig } from '../gateway/runtime.js';
import { createLogger } from '../observability/logger.js';

export interface ClientTarget {
  url?: string;
  config?: string;
}

export interface OpenClient {
  client: Client;
  close(): Promise<void>;
}

/**
 * Opens an MCP client for `outlet list` / `outlet call`: to a running gateway (`--url`), or to a
 * gateway started in this process from a config file (`--config`, or the embedded default), joined
 * by an in-memory transport, so both paths go through the same MCP surface a real client sees.
 */
export async function openClient(target: ClientTarget): Promise<OpenClient> {
  const client = new Client({ name: 'outlet-cli', version: '0.1.0' }, { versionNegotiation: { mode: 'auto' } });
  if (target.url) {
    const url = new URL(target.url);
    if (url.pathname === '/' || url.pathname === '') url.pathname = '/mcp';
    await client.connect(new StreamableHTTPClientTransport(url));
    return { client, close: () => client.close() };
  }
  const config = await resolveConfig(target.config);
  const gateway = await Gateway.start(config, { logger: createLogger(process.env.OUTLET_LOG_LEVEL ?? 'warn') });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const { server } = gateway.createServer({ kind: 'aggregate' }, { era: 'legacy', transport: 'stdio' });
  await server.connect(serverSide);
  await client.connect(clientSide);
  return {
    client,
    close: async () => {
      await client.close();
      await gateway.close();
    },
  };
}
