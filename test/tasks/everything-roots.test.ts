import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutletRuntime } from '../../src/outlet/runtime.js';
import { startTestOutlet, waitReady } from '../helpers/outlet.js';
import { EVERYTHING } from '../helpers/servers.js';

// server-everything's roots probe (`get-roots-list`) asks its client for roots/list while the
// call runs, and remembers the answer. Through the outlet, the client whose call is in flight is
// asked (as with sampling), and the upstream's own start-up question, asked outside any call,
// gets no empty list it would keep for good.

/** A 2025-11-25 client that offers roots and answers roots/list with its own. */
async function rootsClient(url: string, root: string): Promise<Client> {
  const client = new Client({ name: 'roots-client', version: '1.0.0' }, { capabilities: { roots: { listChanged: true } } });
  client.setRequestHandler('roots/list', async () => ({ roots: [{ uri: root, name: 'workspace' }] }));
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  return client;
}

describe.each([
  ['/servers/everything/mcp', ''],
  ['/mcp', 'everything__'],
])('the roots probe through %s', (path, prefix) => {
  let outlet: OutletRuntime;
  beforeAll(async () => {
    // One outlet per endpoint: server-everything keeps the first roots it is given.
    outlet = await startTestOutlet({ servers: { everything: { command: process.execPath, args: [EVERYTHING, 'stdio'] } } });
    await waitReady(outlet.url);
    // server-everything asks for roots 350 ms after its handshake, outside any call.
    await new Promise((resolve) => setTimeout(resolve, 600));
  });
  afterAll(async () => {
    await outlet?.close();
  });

  it("returns the calling client's roots", async () => {
    const client = await rootsClient(`${outlet.url}${path}`, 'file:///srv/project-a');
    try {
      const result = await client.callTool({ name: `${prefix}get-roots-list`, arguments: {} });
      expect(JSON.stringify(result.content)).toContain('file:///srv/project-a');
    } finally {
      await client.close();
    }
  });
});
