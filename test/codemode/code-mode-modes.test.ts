import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/index.js';
import { testGateway } from '../helpers/gateway.js';
import { eventually } from '../helpers/outlet.js';
import { tinyServer, tinyTools } from '../helpers/tool-fixtures.js';

type CallResult = { content: { type: string; text: string }[]; isError?: boolean; structuredContent?: Record<string, unknown> };

describe('hybrid mode', () => {
  it('lists the two code-mode tools plus the pinned ones; only those are callable directly, every tool from a program', async () => {
    await using gw = await testGateway({ servers: { tiny: tinyTools('alpha', 'beta') }, codeMode: { mode: 'hybrid', pinned: ['tiny__alp*'] } }, { ready: true });
    const client = await gw.client();
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual(['search_tools', 'execute_code', 'tiny__alpha']);
    const direct = (await client.callTool({ name: 'tiny__alpha', arguments: { x: 1 } })) as CallResult;
    expect(direct.content[0]!.text).toBe(JSON.stringify({ tool: 'alpha', args: { x: 1 } }));
    await expect(client.callTool({ name: 'tiny__beta', arguments: {} })).rejects.toThrow(/Unknown tool "tiny__beta".*search_tools/);
    const program = (await client.callTool({ name: 'execute_code', arguments: { code: 'return JSON.parse(await tools["tiny__beta"]({ y: 2 }))' } })) as CallResult;
    expect(program.structuredContent).toEqual({ tool: 'beta', args: { y: 2 } });
  });
});

describe('the mode of each route', () => {
  it('a server entry\'s own codeMode applies on its endpoint; /mcp follows the gateway setting', async () => {
    await using gw = await testGateway({ servers: { tiny: tinyServer({ TINY_TOOLS: 'alpha' }, { codeMode: 'code' }), other: tinyTools('gamma') } }, { ready: true });
    const own = await gw.client({ route: '/servers/tiny/mcp' });
    expect((await own.listTools()).tools.map((t) => t.name).sort()).toEqual(['execute_code', 'search_tools']);
    const program = (await own.callTool({ name: 'execute_code', arguments: { code: 'return Object.keys(tools)' } })) as CallResult;
    expect(program.structuredContent).toEqual({ result: ['alpha'] });
    const aggregate = await gw.client();
    expect((await aggregate.listTools()).tools.map((t) => t.name).sort()).toEqual(['other__gamma', 'tiny__alpha']);
    const otherRoute = await gw.client({ route: '/servers/other/mcp' });
    expect((await otherRoute.listTools()).tools.map((t) => t.name)).toEqual(['gamma']);
  });

  it('a config with an unknown mode is refused with its path', async () => {
    await expect(testGateway({ codeMode: { mode: 'javascript' } })).rejects.toThrow(/codeMode\.mode/);
  });
});

describe('the result token budget', () => {
  const long = 'word '.repeat(2000);
  it('cuts a result over maxResultTokens with a marker that says how much was cut', async () => {
    await using gw = await testGateway({ servers: { tiny: tinyTools('say') }, codeMode: { maxResultTokens: 100 } }, { ready: true });
    const client = await gw.client();
    const result = (await client.callTool({ name: 'tiny__say', arguments: { text: long } })) as CallResult;
    expect(result.isError).toBeFalsy();
    expect(result.content[0]!.text.length).toBeLessThan(long.length / 4);
    expect(result.content.at(-1)!.text).toMatch(/^\[cut: the result was \d+ tokens; 100 are shown/);
  });

  it('refuses it with a tool error when overBudget is "refuse"; a small result passes untouched', async () => {
    await using gw = await testGateway({ servers: { tiny: tinyTools('say') }, codeMode: { maxResultTokens: 100, overBudget: 'refuse' } }, { ready: true });
    const client = await gw.client();
    const big = (await client.callTool({ name: 'tiny__say', arguments: { text: long } })) as CallResult;
    expect(big.isError).toBe(true);
    expect(big.content[0]!.text).toMatch(/over this endpoint's budget of 100/);
    const small = (await client.callTool({ name: 'tiny__say', arguments: { text: 'hi' } })) as CallResult;
    expect(small.content[0]!.text).toBe(JSON.stringify({ tool: 'say', args: { text: 'hi' } }));
  });
});

describe('schema compaction', () => {
  it('lists tools without what cannot change validation, in mcp mode', async () => {
    await using plain = await testGateway({ servers: { tiny: tinyTools('alpha') } }, { ready: true });
    await using compact = await testGateway({ servers: { tiny: tinyTools('alpha') }, codeMode: { compactSchemas: true } }, { ready: true });
    const before = (await (await plain.client()).listTools()).tools[0]!;
    const after = (await (await compact.client()).listTools()).tools[0]!;
    expect(JSON.stringify(after).length).toBeLessThan(JSON.stringify(before).length);
    expect(after.inputSchema).not.toHaveProperty('$schema');
    expect(after.name).toBe(before.name);
    expect(after.description).toBe(before.description);
  });
});

describe('the search index', () => {
  it('follows an upstream\'s list_changed: a tool that appears is found, and callable from a program', async () => {
    await using gw = await testGateway({ servers: { tiny: tinyServer({ TINY_TOOLS: 'alpha', TINY_GROW: '1' }) }, codeMode: { mode: 'code' } }, { ready: true });
    const client = await gw.client();
    const search = async () => ((await client.callTool({ name: 'search_tools', arguments: { query: 'appeared at run time' } })) as CallResult).content[0]!.text;
    expect(await search()).not.toContain('tiny__grown_1');
    const grew = (await client.callTool({ name: 'execute_code', arguments: { code: 'return await tools["tiny__grow"]({})' } })) as CallResult;
    expect(grew.structuredContent).toEqual({ result: 'now grown_1' });
    await eventually(async () => (await search()).includes('tiny__grown_1('), 10_000);
    const called = (await client.callTool({ name: 'execute_code', arguments: { code: 'return await tools["tiny__grown_1"]({})' } })) as CallResult;
    expect(called.structuredContent).toEqual({ result: 'grown' });
  });

  it('follows a reload: a server added to the config is found', async () => {
    await using gw = await testGateway({ servers: { tiny: tinyTools('alpha') }, codeMode: { mode: 'code' } }, { ready: true });
    const client = await gw.client();
    const search = async () => ((await client.callTool({ name: 'search_tools', arguments: { query: 'echoes', limit: 10 } })) as CallResult).content[0]!.text;
    expect(await search()).not.toContain('more__omega');
    await gw.gateway.reload(parseConfig({ servers: { tiny: tinyTools('alpha'), more: tinyTools('omega') }, codeMode: { mode: 'code' } }, { baseDir: process.cwd() }));
    await eventually(async () => (await search()).includes('more__omega('), 15_000);
  });
});
