import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { describe, expect, it } from 'vitest';
import { eventually } from '../helpers/outlet.js';
import { suiteGateway } from '../helpers/suite-gateway.js';
import { everythingServer } from '../helpers/tool-fixtures.js';

// Messages no call claims: a resource update goes only to the session that subscribed to that
// URI, a log line only to sessions that asked for that level. server-everything sends both on
// 5-second timers once toggled.
// Listening: the clients below connect by URL, with transports of their own.
const suite = suiteGateway({ servers: { everything: everythingServer() } }, { listen: true, ready: true });

interface Watcher {
  client: Client;
  updates: string[];
  logs: unknown[];
}

async function watcher(path: string): Promise<Watcher> {
  const w: Watcher = { client: new Client({ name: 'watcher', version: '1.0.0' }), updates: [], logs: [] };
  w.client.setNotificationHandler('notifications/resources/updated', (n) => {
    w.updates.push(n.params.uri);
  });
  w.client.setNotificationHandler('notifications/message', (n) => {
    w.logs.push(n.params);
  });
  await w.client.connect(new StreamableHTTPClientTransport(new URL(`${suite.url}${path}`)));
  return w;
}

describe.each([
  ['/mcp', 'everything__'],
  ['/servers/everything/mcp', ''],
])('through %s', (path, prefix) => {
  it('delivers a resource update only to the subscribing session, and stops after unsubscribe', async () => {
    const subscriber = await watcher(path);
    const bystander = await watcher(path);
    try {
      const { resources } = await subscriber.client.listResources();
      const uri = resources[0]!.uri;
      await subscriber.client.subscribeResource({ uri });
      await subscriber.client.callTool({ name: `${prefix}toggle-subscriber-updates`, arguments: {} });
      await eventually(() => subscriber.updates.includes(uri), 20_000);
      expect(bystander.updates).toEqual([]);
      await subscriber.client.unsubscribeResource({ uri });
      const count = subscriber.updates.length;
      await subscriber.client.callTool({ name: `${prefix}toggle-subscriber-updates`, arguments: {} });
      expect(subscriber.updates.length).toBe(count);
    } finally {
      await subscriber.client.close();
      await bystander.client.close();
    }
  }, 40_000);

  it('forwards logging/setLevel and relays log lines only to sessions that asked', async () => {
    const listener = await watcher(path);
    const quiet = await watcher(path);
    try {
      await listener.client.setLoggingLevel('debug');
      await listener.client.callTool({ name: `${prefix}toggle-simulated-logging`, arguments: {} });
      // The first line may arrive during the toggling call itself (attributed to that call); the
      // second comes from server-everything's timer with no call in flight: the broadcast path.
      await eventually(() => listener.logs.length >= 2, 20_000);
      expect(quiet.logs).toEqual([]);
      await listener.client.callTool({ name: `${prefix}toggle-simulated-logging`, arguments: {} });
    } finally {
      await listener.client.close();
      await quiet.client.close();
    }
  }, 40_000);
});
