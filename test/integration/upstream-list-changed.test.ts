import { describe, expect, it } from 'vitest';
import { eventually, type ClientEra } from '../helpers/outlet.js';
import { TINY } from '../helpers/servers.js';
import { suiteGateway } from '../helpers/suite-gateway.js';

// An upstream whose own tool list changes at run time: the catalog follows its list_changed and
// the outlet's clients are told in turn, on the aggregated and the per-server endpoint.
// Connected first (ready), so the only list_changed a client sees is the one the upstream causes.
const suite = suiteGateway({ servers: { garden: { command: process.execPath, args: [TINY], env: { TINY_GROW: '1', TINY_TOOLS: 'seed' } } } }, { ready: true });

describe.each<[string, string]>([
  ['/mcp', 'garden__'],
  ['/servers/garden/mcp', ''],
])('upstream list_changed through %s', (path, prefix) => {
  it('reaches a 2025-era session and the new tool is listed and callable', async () => {
    const era: ClientEra = '2025-11-25';
    const client = await suite.gw.client({ era, route: path });
    try {
      let told = 0;
      client.setNotificationHandler('notifications/tools/list_changed', () => {
        told++;
      });
      const before = (await client.listTools()).tools.map((t) => t.name);
      expect(before).toContain(`${prefix}grow`);
      const grown = await client.callTool({ name: `${prefix}grow`, arguments: {} });
      const newName = `${prefix}${(grown.content as { text: string }[])[0]!.text.replace('now ', '')}`;
      await eventually(() => told > 0);
      const after = (await client.listTools()).tools.map((t) => t.name);
      expect(after).toContain(newName);
      const called = await client.callTool({ name: newName, arguments: {} });
      expect(called.content).toEqual([{ type: 'text', text: 'grown' }]);
    } finally {
      await client.close();
    }
  });
});
