import { Client, InMemoryTransport, SSEClientTransport, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { describe, expect, it } from 'vitest';
import { suiteGateway } from '../helpers/suite-gateway.js';
import { firstJson, ROUTING_SERVER, rpc } from './helpers.js';

// One server, two tools an operator took away: `hidden` by the server's tool filter, `denied` by a
// policy. Every way into the outlet must agree: neither is listed, neither runs, `echo` does.
const suite = suiteGateway(
  {
    servers: { rt: { command: process.execPath, args: [ROUTING_SERVER], tools: { exclude: ['hidden'] } } },
    policies: [
      { effect: 'deny', tools: ['rt__denied'] },
      { effect: 'allow', tools: ['*'] },
    ],
  },
  { ready: true },
);

/** What a way in answers: the names it lists, and a call by (route-local) name. */
interface WayIn {
  list(): Promise<string[]>;
  call(name: string): Promise<{ ok: true; tool: unknown } | { ok: false; code: unknown; outletCode: unknown }>;
  close?(): Promise<void>;
}

async function sdkWay(connect: (client: Client) => Promise<void>): Promise<WayIn> {
  const client = new Client({ name: 'reach-test', version: '1.0.0' });
  await connect(client);
  return {
    list: async () => (await client.listTools()).tools.map((t) => t.name),
    call: async (name) => {
      try {
        const result = await client.callTool({ name, arguments: {} });
        return { ok: true, tool: firstJson(result as Record<string, unknown>).tool };
      } catch (err) {
        const e = err as { code?: unknown; data?: { outletCode?: unknown } };
        return { ok: false, code: e.code, outletCode: e.data?.outletCode };
      }
    },
    close: () => client.close(),
  };
}

function rpcWay(serverName?: string): WayIn {
  return {
    list: async () => ((await rpc(suite.gw.fetch, 'tools/list', {}, serverName)).body.result?.tools as Array<{ name: string }>).map((t) => t.name),
    call: async (name) => {
      const { body } = await rpc(suite.gw.fetch, 'tools/call', { name, arguments: {} }, serverName);
      return body.result ? { ok: true, tool: firstJson(body.result).tool } : { ok: false, code: body.error?.code, outletCode: body.error?.data?.outletCode };
    },
  };
}

const restWay: WayIn = {
  list: async () => ((await (await suite.gw.fetch('/api/tools')).json()) as { tools: Array<{ name: string }> }).tools.map((t) => t.name),
  call: async (name) => {
    const res = await suite.gw.fetch(`/api/tools/${name}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    const body = (await res.json()) as { success?: boolean; result?: Record<string, unknown>; code?: string };
    return body.success ? { ok: true, tool: firstJson(body.result).tool } : { ok: false, code: res.status, outletCode: body.code };
  },
};

const ways: Array<[string, string, () => Promise<WayIn>]> = [
  ['/mcp', 'rt__', () => sdkWay((c) => c.connect(new StreamableHTTPClientTransport(new URL(`${suite.url}/mcp`), suite.gw.transport)))],
  ['/servers/rt/mcp', '', () => sdkWay((c) => c.connect(new StreamableHTTPClientTransport(new URL(`${suite.url}/servers/rt/mcp`), suite.gw.transport)))],
  ['/sse', 'rt__', () => sdkWay((c) => c.connect(new SSEClientTransport(new URL(`${suite.url}/sse`), suite.gw.transport)))],
  ['/servers/rt/sse', '', () => sdkWay((c) => c.connect(new SSEClientTransport(new URL(`${suite.url}/servers/rt/sse`), suite.gw.transport)))],
  ['/rpc aggregated', 'rt__', async () => rpcWay()],
  ['/rpc by server name', '', async () => rpcWay('rt')],
  ['REST /api/tools', 'rt__', async () => restWay],
  [
    'stdio (in process)',
    'rt__',
    () =>
      sdkWay(async (client) => {
        const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
        const { server } = suite.gateway.createServer({ kind: 'aggregate' }, { era: 'legacy', transport: 'stdio' });
        await server.connect(serverSide);
        await client.connect(clientSide);
      }),
  ],
];

describe.each(ways)('the way in %s', (_label, prefix, open) => {
  it('neither lists nor runs a tool removed by tools.exclude or denied by a policy', async () => {
    const way = await open();
    try {
      const names = await way.list();
      expect(names).toContain(`${prefix}echo`);
      expect(names).not.toContain(`${prefix}hidden`);
      expect(names).not.toContain(`${prefix}denied`);
      expect(await way.call(`${prefix}echo`)).toEqual({ ok: true, tool: 'echo' });
      for (const refused of ['hidden', 'denied']) {
        const answer = await way.call(`${prefix}${refused}`);
        expect(answer).toMatchObject({ ok: false, outletCode: 'UNKNOWN_TOOL' });
      }
    } finally {
      await way.close?.();
    }
  });
});
