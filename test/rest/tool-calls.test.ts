import { chownSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MEMORY } from '../helpers/servers.js';
import { suiteGateway } from '../helpers/suite-gateway.js';
import { hostileEntry, uniqueMarker } from '../isolation/helpers.js';
import { callTool, failed, getJson, SCHEMA_SERVER } from './helpers.js';

// POST /api/tools/<name> and GET /api/tools against a real gateway with real servers: the
// memory server, a server whose schemas use $defs (and answers isError on request), and a
// misbehaving one that crashes or hangs on request.
const MAX_BODY = 8192;
const suite = suiteGateway(
  () => {
    const dir = mkdtempSync(join(tmpdir(), 'outlet-rest-'));
    // As root, sandboxed servers run as uid 65534: the memory file's directory must be theirs.
    if (process.getuid?.() === 0) chownSync(dir, 65534, 65534);
    return {
      servers: {
        memory: { command: process.execPath, args: [MEMORY], env: { MEMORY_FILE_PATH: join(dir, 'memory.jsonl') }, sandbox: { mounts: [{ path: dir, mode: 'rw' }] } },
        schemas: { command: process.execPath, args: [SCHEMA_SERVER] },
        broken: hostileEntry('misbehave.mjs', uniqueMarker('rest'), { timeoutMs: 500, sandbox: { backend: 'none' } }),
      },
      http: { maxBodyBytes: MAX_BODY },
    };
  },
  { ready: true },
);

interface Listed {
  name: string;
  title?: string;
  server: string;
  inputSchema: Record<string, unknown>;
  outputSchema?: Record<string, unknown>;
  annotations?: Record<string, unknown>;
}

describe('GET /api/tools', () => {
  it('lists the merged catalog under the published names, each with its server and JSON Schemas', async () => {
    const { status, body } = await getJson<{ tools: Listed[] }>(suite.gw.fetch, '/api/tools');
    expect(status).toBe(200);
    const byName = new Map(body.tools.map((t) => [t.name, t]));
    expect([...byName.keys()]).toEqual(expect.arrayContaining(['memory__read_graph', 'memory__create_entities', 'schemas__tree_size', 'schemas__route', 'broken__crash']));
    expect(body.tools.length).toBe(suite.gateway.currentCatalog().tools().length);
    const create = byName.get('memory__create_entities')!;
    expect(create).toMatchObject({ server: 'memory', title: 'Create Entities', inputSchema: { type: 'object', required: ['entities'] }, outputSchema: { type: 'object' } });
    // The schemas are the servers' own, $defs included.
    expect(byName.get('schemas__tree_size')!.inputSchema).toMatchObject({ properties: { tree: { $ref: '#/$defs/__schema0' } }, $defs: { __schema0: { type: 'object' } } });
    expect(byName.get('broken__crash')!.server).toBe('broken');
  });
});

describe('POST /api/tools/<name> that succeeds', () => {
  it('answers 200 with the CallToolResult and the latency', async () => {
    const entity = { name: 'Ada', entityType: 'person', observations: ['wrote the first program'] };
    const created = await callTool(suite.gw.fetch, 'memory__create_entities', { entities: [entity] });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ success: true, result: { structuredContent: { entities: [entity] } } });
    expect(created.body.latency_ms).toBeGreaterThanOrEqual(0);
    const graph = await callTool(suite.gw.fetch, 'memory__read_graph', {});
    expect(graph.body.result?.structuredContent).toMatchObject({ entities: [entity] });
  });

  it('calls a tool without arguments when the body is empty or blank', async () => {
    for (const body of [undefined, '', '  \n']) {
      const answer = await callTool(suite.gw.fetch, 'memory__read_graph', body);
      expect(answer.status).toBe(200);
      expect(answer.body.success).toBe(true);
    }
  });

  it('passes arguments whose schema uses $defs and recursion, checked by the gateway on the way', async () => {
    const tree = { label: 'root', children: [{ label: 'a' }, { label: 'b', children: [{ label: 'c' }] }] };
    const ok = await callTool(suite.gw.fetch, 'schemas__tree_size', { tree });
    expect(ok.body).toMatchObject({ success: true, result: { structuredContent: { size: 4 } } });
    const route = await callTool(suite.gw.fetch, 'schemas__route', { from: { x: 0, y: 0 }, to: { x: 3, y: 4 } });
    expect(route.body.result?.structuredContent).toEqual({ distance: 5 });
  });
});

describe('POST /api/tools/<name> that fails', () => {
  it('an unknown tool: 404 UNKNOWN_TOOL', async () => {
    const answer = await callTool(suite.gw.fetch, 'memory__no_such_tool', {});
    expect(answer.status).toBe(404);
    expect(answer.body).toMatchObject({ ...failed('UNKNOWN_TOOL'), error: 'Unknown tool "memory__no_such_tool"' });
  });

  it('a body that is not JSON, or not UTF-8: 400 PARSE_ERROR', async () => {
    for (const body of ['{"entities": [', 'not json at all', new Uint8Array([0x7b, 0xff, 0xfe, 0x7d])]) {
      const answer = await callTool(suite.gw.fetch, 'memory__read_graph', body);
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject(failed('PARSE_ERROR'));
    }
  });

  it('JSON that is not an object: 400 INVALID_PARAMS naming what it is', async () => {
    const cases: Array<[string, string]> = [['[1, 2]', 'an array'], ['42', 'a number'], ['"text"', 'a string'], ['null', 'null'], ['true', 'a boolean']];
    for (const [body, kind] of cases) {
      const answer = await callTool(suite.gw.fetch, 'memory__read_graph', body);
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ ...failed('INVALID_PARAMS'), error: `the request body must be a JSON object of tool arguments, not ${kind}` });
    }
  });

  it('arguments that do not fit the input schema: 400 INVALID_PARAMS with the failing path', async () => {
    const answer = await callTool(suite.gw.fetch, 'schemas__tree_size', { tree: { label: 'root', children: [{ label: 7 }] } });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ ...failed('INVALID_PARAMS'), data: { path: 'params.arguments.tree.children[0].label' } });
  });

  it('a tool result with isError: 422, its text as the error and the full result', async () => {
    const answer = await callTool(suite.gw.fetch, 'schemas__fail', { message: 'the disk is on fire' });
    expect(answer.status).toBe(422);
    expect(answer.body).toMatchObject({
      ...failed('TOOL_ERROR'),
      error: 'the disk is on fire',
      result: { isError: true, content: [{ type: 'text', text: 'the disk is on fire' }] },
    });
    // The memory server reports its own failures the same way.
    const missing = await callTool(suite.gw.fetch, 'memory__add_observations', { observations: [{ entityName: 'Nobody', contents: ['x'] }] });
    expect(missing.status).toBe(422);
    expect(missing.body.error).toBe('Entity with name Nobody not found');
  });

  it('an upstream that never answers: 504 UPSTREAM_TIMEOUT; one that dies during the call: 502 UPSTREAM_CLOSED', async () => {
    const hung = await callTool(suite.gw.fetch, 'broken__hang', {});
    expect(hung.status).toBe(504);
    expect(hung.body).toMatchObject(failed('UPSTREAM_TIMEOUT'));
    const crashed = await callTool(suite.gw.fetch, 'broken__crash', { afterMs: 50 });
    expect(crashed.status).toBe(502);
    expect(crashed.body).toMatchObject({ ...failed('UPSTREAM_CLOSED'), error: 'upstream "broken" exited with code 1 before it answered' });
  });

  it('a body over http.maxBodyBytes: 413, whether it declares its length or is chunked', async () => {
    const big = JSON.stringify({ observations: [{ entityName: 'x', contents: ['y'.repeat(MAX_BODY)] }] });
    const declared = await callTool(suite.gw.fetch, 'memory__add_observations', big);
    expect(declared.status).toBe(413);
    expect(declared.body).toMatchObject(failed('PAYLOAD_TOO_LARGE'));
    const bytes = new TextEncoder().encode(big);
    const chunked = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < bytes.length; i += 1024) controller.enqueue(bytes.subarray(i, i + 1024));
        controller.close();
      },
    });
    const res = await suite.gw.fetch('/api/tools/memory__add_observations', { method: 'POST', body: chunked, duplex: 'half' } as RequestInit);
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject(failed('PAYLOAD_TOO_LARGE'));
  });

  it('input nested past the input limits is refused with 400 and the gateway goes on', async () => {
    const nested = `{"a":${'{"a":'.repeat(100)}1${'}'.repeat(101)}`;
    const deep = await callTool(suite.gw.fetch, 'memory__read_graph', nested);
    expect(deep.status).toBe(400);
    expect(deep.body).toMatchObject(failed('INPUT_LIMIT_EXCEEDED'));
    // As deep as the body limit allows: refused by the depth check, not by a stack overflow.
    const abyss = await callTool(suite.gw.fetch, 'memory__read_graph', `${'{"a":'.repeat(1300)}1${'}'.repeat(1300)}`);
    expect(abyss.status).toBe(400);
    expect(abyss.body).toMatchObject(failed('INPUT_LIMIT_EXCEEDED'));
    expect((await callTool(suite.gw.fetch, 'memory__read_graph', {})).status).toBe(200);
  });

  it('a request from a foreign Origin is refused before anything runs', async () => {
    const answer = await suite.gw.fetch('/api/tools/memory__read_graph', { method: 'POST', body: '{}', headers: { origin: 'https://evil.example' } });
    expect(answer.status).toBe(403);
    const listing = await suite.gw.fetch('/api/tools', { headers: { origin: 'https://evil.example' } });
    expect(listing.status).toBe(403);
  });
});
