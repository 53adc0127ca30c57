import { chownSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientEra } from '../helpers/outlet.js';
import { EVERYTHING, FILESYSTEM, MEMORY } from '../helpers/servers.js';
import { suiteGateway } from '../helpers/suite-gateway.js';

// Three real npm servers behind one outlet, driven by SDK clients of both protocol eras over
// Streamable HTTP: the catalog is namespaced, and a tool of each, a resource and a prompt work.
let workspace: string;

const suite = suiteGateway(() => {
  workspace = mkdtempSync(join(tmpdir(), 'outlet-agg-'));
  writeFileSync(join(workspace, 'hello.txt'), 'hello from the workspace');
  // As root, sandboxed servers run as uid 65534: the workspace must be theirs to use.
  if (process.getuid?.() === 0) chownSync(workspace, 65534, 65534);
  return {
    servers: {
      everything: { command: process.execPath, args: [EVERYTHING, 'stdio'] },
      fs: { command: process.execPath, args: [FILESYSTEM, workspace] },
      // A path inside env is not an argument, so the sandbox needs to be told to mount it.
      memory: { command: process.execPath, args: [MEMORY], env: { MEMORY_FILE_PATH: join(workspace, 'memory.jsonl') }, sandbox: { mounts: [{ path: workspace, mode: 'rw' }] } },
    },
  };
});

describe.each<ClientEra>(['2025-11-25', '2026-07-28'])('aggregated /mcp with a %s client', (era) => {
  let client: Client;
  beforeAll(async () => {
    client = await suite.gw.client({ era });
  });
  afterAll(async () => {
    await client?.close();
  });

  it('negotiates the era it asked for', () => {
    expect(client.getNegotiatedProtocolVersion()).toBe(era);
  });

  it('lists every server namespaced, in a deterministic order', async () => {
    const names = (await client.listTools()).tools.map((t) => t.name);
    expect(names).toContain('everything__echo');
    expect(names).toContain('fs__read_text_file');
    expect(names).toContain('memory__read_graph');
    // servers sorted by name: everything, fs, memory
    const firstOf = (p: string) => names.findIndex((n) => n.startsWith(p));
    expect(firstOf('everything__')).toBeLessThan(firstOf('fs__'));
    expect(firstOf('fs__')).toBeLessThan(firstOf('memory__'));
    expect(names.every((n) => /^(everything|fs|memory)__/.test(n))).toBe(true);
  });

  it('calls a tool of each server', async () => {
    const echo = await client.callTool({ name: 'everything__echo', arguments: { message: `hi ${era}` } });
    expect(echo.content).toEqual([{ type: 'text', text: `Echo: hi ${era}` }]);

    const file = await client.callTool({ name: 'fs__read_text_file', arguments: { path: join(workspace, 'hello.txt') } });
    expect(JSON.stringify(file.content)).toContain('hello from the workspace');

    const entity = `entity-${era}`;
    await client.callTool({ name: 'memory__create_entities', arguments: { entities: [{ name: entity, entityType: 'test', observations: ['seen'] }] } });
    const graph = await client.callTool({ name: 'memory__read_graph', arguments: {} });
    expect(JSON.stringify(graph)).toContain(entity);
  });

  it('answers an unknown tool with a clear error naming it', async () => {
    await expect(client.callTool({ name: 'nope__missing', arguments: {} })).rejects.toThrow(/Unknown tool "nope__missing"/);
  });

  it('reads a resource routed by ownership', async () => {
    const { resources } = await client.listResources();
    expect(resources.length).toBeGreaterThan(0);
    const first = resources[0]!;
    const read = await client.readResource({ uri: first.uri });
    expect(read.contents[0]?.uri).toBe(first.uri);
  });

  it('gets a prompt by its namespaced name', async () => {
    const { prompts } = await client.listPrompts();
    const simple = prompts.find((p) => p.name.startsWith('everything__') && !(p.arguments ?? []).some((a) => a.required));
    expect(simple).toBeDefined();
    const got = await client.getPrompt({ name: simple!.name, arguments: {} });
    expect(got.messages.length).toBeGreaterThan(0);
  });
});

describe('per-server endpoint /servers/<name>/mcp', () => {
  it.each<ClientEra>(['2025-11-25', '2026-07-28'])('serves one server unprefixed to a %s client', async (era) => {
    const client = await suite.gw.client({ era, route: '/servers/everything/mcp' });
    try {
      const names = (await client.listTools()).tools.map((t) => t.name);
      expect(names).toContain('echo');
      expect(names.some((n) => n.includes('__'))).toBe(false);
      const echo = await client.callTool({ name: 'echo', arguments: { message: 'direct' } });
      expect(echo.content).toEqual([{ type: 'text', text: 'Echo: direct' }]);
    } finally {
      await client.close();
    }
  });

  it('answers 404 for a server that is not configured', async () => {
    const res = await suite.gw.fetch('/servers/nope/mcp', { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: '{"jsonrpc":"2.0","id":1,"method":"tools/list"}' });
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('nope');
  });
});

describe('health and readiness', () => {
  it('reports every upstream connected', async () => {
    const res = await suite.gw.fetch('/ready');
    const body = (await res.json()) as { ready: boolean; upstreams: { name: string; state: string }[] };
    expect(res.status).toBe(200);
    expect(body.ready).toBe(true);
    expect(body.upstreams.map((u) => [u.name, u.state])).toEqual([
      ['everything', 'connected'],
      ['fs', 'connected'],
      ['memory', 'connected'],
    ]);
    expect((await suite.gw.fetch('/health')).status).toBe(200);
  });
});
