import { Client, InMemoryTransport } from '@modelcontextprotocol/client';
import type { Gateway } from '../../src/gateway/gateway.js';

/**
 * A 2025-era client on the gateway's own SDK server over InMemoryTransport: the way the stdio
 * inbound and `outlet call` reach the gateway, with no HTTP in between.
 */
export async function connectMemoryClient(gateway: Gateway, capabilities: Record<string, unknown> = {}): Promise<Client> {
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const { server } = gateway.createServer({ kind: 'aggregate' }, { era: 'legacy', transport: 'stdio' });
  await server.connect(serverSide);
  const client = new Client({ name: 'test-client-memory', version: '1.0.0' }, { capabilities });
  await client.connect(clientSide);
  return client;
}
