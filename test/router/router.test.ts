import { describe, expect, it } from 'vitest';
import type { RawAnswer } from '../helpers/mcp-request.js';
import { testGateway } from '../helpers/gateway.js';
import { suiteGateway } from '../helpers/suite-gateway.js';
import { tinyAnswer, tinyServer, tinyTools } from '../helpers/tool-fixtures.js';

// The router is the policy chain's last step: it answers lists from the catalog and sends every
// other request to the upstream that owns the published name, under the upstream's own name.
// Driven through the gateway's HTTP app in process, with tiny-server upstreams that echo the
// tool name they were called by.
const suite = suiteGateway(
  {
    servers: {
      alpha: tinyTools('echo', 'add'),
      beta: tinyTools('echo', 'shout'),
      gamma: { ...tinyTools('echo', 'secret'), prefix: 'g', tools: { exclude: ['secret'] } },
    },
  },
  { ready: true },
);

/** The text of a tools/call result, or the error's outlet code. */
function outcome(answer: RawAnswer): string {
  const { result, error } = answer.json as { result?: { content: Array<{ text: string }> }; error?: { data?: { outletCode?: string } } };
  return result ? result.content[0]!.text : `error ${error?.data?.outletCode}`;
}

const call = (name: string, route?: string) => suite.gw.request('tools/call', { name, arguments: { n: 1 } }, route ? { route } : {});

describe('the aggregated endpoint', () => {
  it('sends a published name to its server under the upstream\'s own name', async () => {
    expect(outcome(await call('alpha__add'))).toBe(tinyAnswer('add', { n: 1 }));
    expect(outcome(await call('beta__shout'))).toBe(tinyAnswer('shout', { n: 1 }));
    // A configured prefix replaces the server name in the published name.
    expect(outcome(await call('g__echo'))).toBe(tinyAnswer('echo', { n: 1 }));
  });

  it('answers UNKNOWN_TOOL for a name no server publishes, a bare upstream name, or another server\'s prefix', async () => {
    for (const name of ['alpha__shout', 'echo', 'gamma__echo', 'nobody__echo']) expect(outcome(await call(name)), name).toBe('error UNKNOWN_TOOL');
  });

  it('answers UNKNOWN_TOOL for a tool the server\'s filter removed', async () => {
    expect(outcome(await call('g__secret'))).toBe('error UNKNOWN_TOOL');
  });

  it('lists every server\'s tools under their published names, in both eras', async () => {
    const expected = ['alpha__add', 'alpha__echo', 'beta__echo', 'beta__shout', 'g__echo'];
    for (const era of ['modern', 'legacy'] as const) {
      const { tools } = (await suite.gw.request('tools/list', {}, { era })).json!.result as { tools: Array<{ name: string }> };
      expect(tools.map((t) => t.name).sort(), era).toEqual(expected);
    }
  });
});

describe('the stdio way in (the gateway\'s SDK server, in memory)', () => {
  it('routes the same published names', async () => {
    const client = await suite.gw.client({ over: 'memory' });
    const result = (await client.callTool({ name: 'alpha__add', arguments: { n: 1 } })) as { content: Array<{ text: string }> };
    expect(result.content[0]!.text).toBe(tinyAnswer('add', { n: 1 }));
    await expect(client.callTool({ name: 'alpha__shout', arguments: {} })).rejects.toThrow(/Unknown tool "alpha__shout"/);
  });
});

describe('one server\'s endpoint', () => {
  it('takes the server\'s own names and reaches that server only', async () => {
    expect(outcome(await call('shout', '/servers/beta/mcp'))).toBe(tinyAnswer('shout', { n: 1 }));
    expect(outcome(await call('shout', '/servers/alpha/mcp'))).toBe('error UNKNOWN_TOOL');
    expect(outcome(await call('alpha__add', '/servers/alpha/mcp'))).toBe('error UNKNOWN_TOOL');
  });

  it('keeps the filter of the aggregate: an excluded tool is unknown here too', async () => {
    expect(outcome(await call('echo', '/servers/gamma/mcp'))).toBe(tinyAnswer('echo', { n: 1 }));
    expect(outcome(await call('secret', '/servers/gamma/mcp'))).toBe('error UNKNOWN_TOOL');
  });

  it('lists the server\'s tools under their own names', async () => {
    const { tools } = (await suite.gw.request('tools/list', {}, { route: '/servers/gamma/mcp' })).json!.result as { tools: Array<{ name: string }> };
    expect(tools.map((t) => t.name)).toEqual(['echo']);
  });

  it('answers for a server that is not configured with UNKNOWN_SERVER', async () => {
    expect(outcome(await call('echo', '/servers/nobody/mcp'))).toBe('error UNKNOWN_SERVER');
  });
});

describe('a server that never listed its tools', () => {
  it('is still reached by a name under its prefix, which answers UPSTREAM_UNAVAILABLE rather than unknown', async () => {
    await using gw = await testGateway({ startup: { listWaitMs: 0 }, servers: { up: tinyTools('echo'), down: tinyServer({ TINY_EXIT: '3' }) } }, { ready: false });
    await expect.poll(async () => outcome(await gw.request('tools/call', { name: 'up__echo', arguments: {} })), { timeout: 15_000 }).toBe(tinyAnswer('echo', {}));
    expect(outcome(await gw.request('tools/call', { name: 'down__anything', arguments: {} }))).toBe('error UPSTREAM_UNAVAILABLE');
    expect(outcome(await gw.request('tools/call', { name: 'anything', arguments: {} }, { route: '/servers/down/mcp' }))).toBe('error UPSTREAM_UNAVAILABLE');
    expect(outcome(await gw.request('tools/list', {}, { route: '/servers/down/mcp' }))).toBe('error UPSTREAM_UNAVAILABLE');
  });
});
