import { chownSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/client';
import { describe, expect, it } from 'vitest';
import type { SpanNode, TraceSummary, TraceTree } from '../../src/observability/index.js';
import { eventually } from '../helpers/outlet.js';
import { FILESYSTEM, MEMORY } from '../helpers/servers.js';
import { suiteGateway } from '../helpers/suite-gateway.js';
import { everythingServer } from '../helpers/tool-fixtures.js';

// Code mode through the real gateway with three real npm servers: the program's inner calls run
// the same policy chain, rate limits, audit and tracing as direct calls.
const workspace = mkdtempSync(join(tmpdir(), 'outlet-code-'));
writeFileSync(join(workspace, 'people.txt'), 'Ada Lovelace\nAlan Turing\nGrace Hopper\n');
// As root, sandboxed servers run as uid 65534: the workspace must be theirs to use.
if (process.getuid?.() === 0) chownSync(workspace, 65534, 65534);
// Apart from the workspace: the sandbox hides the gateway's own files from servers, which would make that folder read-only to them.
const auditPath = join(mkdtempSync(join(tmpdir(), 'outlet-code-audit-')), 'audit.jsonl');

const suite = suiteGateway(
  {
    servers: {
      fs: { command: process.execPath, args: [FILESYSTEM, workspace] },
      memory: { command: process.execPath, args: [MEMORY], env: { MEMORY_FILE_PATH: join(workspace, 'memory.jsonl') }, sandbox: { mounts: [{ path: workspace, mode: 'rw' }] } },
      everything: everythingServer(),
    },
    codeMode: { mode: 'code', limits: { wallMs: 8000 } },
    policies: [{ effect: 'deny', tools: ['everything__get-env'] }],
    rateLimits: [{ per: ['principal'], tools: ['everything__echo'], capacity: 3, refillPerSecond: 0.001 }],
    observability: { tracing: { maxTraces: 200 }, metrics: { process: false }, audit: { path: auditPath } },
  },
  { ready: true },
);

type CallResult = { content: { type: string; text: string }[]; isError?: boolean; structuredContent?: Record<string, unknown> };

async function run(client: Client, code: string): Promise<CallResult> {
  return (await client.callTool({ name: 'execute_code', arguments: { code } })) as CallResult;
}

async function search(client: Client, query: string, limit?: number): Promise<string> {
  const result = (await client.callTool({ name: 'search_tools', arguments: { query, ...(limit ? { limit } : {}) } })) as CallResult;
  expect(result.isError).toBeFalsy();
  return result.content[0]!.text;
}

describe.each(['legacy', 'modern'] as const)('code mode on /mcp, %s client', (era) => {
  it('lists exactly search_tools and execute_code; prompts and resources are unchanged', async () => {
    const client = await suite.gw.client({ era });
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(['execute_code', 'search_tools']);
    const prompts = await client.listPrompts();
    expect(prompts.prompts.some((p) => p.name.startsWith('everything__'))).toBe(true);
  });

  it('search_tools answers TypeScript declarations of matching tools', async () => {
    const client = await suite.gw.client({ era });
    const text = await search(client, 'read text file', 3);
    expect(text).toContain('fs__read_text_file(');
    expect(text).toMatch(/path\??: string/);
  });

  it('one program reads a file, creates memory entities from its lines and returns a summary', async () => {
    const client = await suite.gw.client({ era });
    const tag = `run-${era}-${Date.now()}`;
    const result = await run(
      client,
      `const { content: text }: { content: string } = await tools["fs__read_text_file"]({ path: ${JSON.stringify(join(workspace, 'people.txt'))} });
       const names = text.split("\\n").filter(Boolean);
       await tools["memory__create_entities"]({ entities: names.map((name) => ({ name: name + " ${tag}", entityType: "person", observations: ["from people.txt"] })) });
       const graph = await tools["memory__search_nodes"]({ query: "${tag}" });
       console.log("created", names.length);
       return { people: names.length, found: graph.entities.length };`,
    );
    expect(result.content[0]!.text).not.toMatch(/^execute_code:/);
    expect(result.structuredContent).toEqual({ people: 3, found: 3 });
    expect(result.content.map((c) => c.text).join('\n')).toContain('created 3');
  });
});

describe('every inner call is under policy', () => {
  it('a tool denied by policy is neither found by search_tools nor callable from code', async () => {
    const client = await suite.gw.client();
    expect(await search(client, 'get env environment variables', 20)).not.toContain('get-env');
    const result = await run(client, 'return await tools["everything__get-env"]({})');
    expect(result.isError).toBe(true);
    expect(result.content[0]!.text).toMatch(/everything__get-env/);
    expect(result.content[0]!.text).toMatch(/refused|no tool/);
  });

  it('a tool that is not listed in code mode cannot be called directly', async () => {
    const client = await suite.gw.client();
    await expect(client.callTool({ name: 'everything__echo', arguments: { message: 'hi' } })).rejects.toThrow(/search_tools/);
  });

  it('rate limits count inner calls: the fourth echo in a program is refused as RATE_LIMITED', async () => {
    const client = await suite.gw.client();
    const result = await run(client, 'const out = []; for (let i = 0; i < 6; i++) out.push(await tools["everything__echo"]({ message: "n" + i })); return out;');
    expect(result.isError).toBe(true);
    expect(result.content[0]!.text).toMatch(/refused \(RATE_LIMITED\)/);
  });

  it('the audit stream records each inner call with its principal and the execute_code request it came from', async () => {
    const client = await suite.gw.client();
    const result = await run(client, 'await tools["everything__get-sum"]({ a: 2, b: 3 }); return "ok"');
    expect(result.isError).toBeFalsy();
    // The audit file is written asynchronously: wait until both records are in it.
    const read = () => readFileSync(auditPath, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const parentOf = (records: Record<string, unknown>[]) => {
      const last = records.filter((r) => r.tool === 'everything__get-sum').at(-1);
      return last && records.find((r) => r.requestId === last.parentRequestId);
    };
    await eventually(() => parentOf(read()) !== undefined, 10_000);
    const records = read();
    const last = records.filter((r) => r.tool === 'everything__get-sum').at(-1)!;
    expect(last.principal).toMatchObject({ id: expect.any(String) });
    expect(parentOf(records)).toMatchObject({ tool: 'execute_code', method: 'tools/call' });
  });

  it('the trace shows the inner calls as child spans of the execute_code span', async () => {
    const client = await suite.gw.client();
    await run(client, 'await tools["everything__get-sum"]({ a: 1, b: 1 }); await tools["everything__get-sum"]({ a: 2, b: 2 }); return 1');
    const list = ((await (await suite.gw.fetch('/api/traces')).json()) as { traces: TraceSummary[] }).traces;
    const summary = list.find((t) => t.name === 'mcp tools/call execute_code');
    expect(summary).toBeDefined();
    const tree = (await (await suite.gw.fetch(`/api/traces/${summary!.traceId}`)).json()) as TraceTree;
    const root = tree.roots.find((s: SpanNode) => s.name === 'mcp tools/call execute_code')!;
    const names = root.children.map((c) => c.name);
    expect(names.filter((n) => n === 'mcp tools/call everything__get-sum')).toHaveLength(2);
    const inner = root.children.find((c) => c.name === 'mcp tools/call everything__get-sum')!;
    expect(inner.children.map((c) => c.name)).toContain('upstream everything tools/call get-sum');
  });
});

describe('hostile programs are contained while the gateway serves other callers', () => {
  const hostile: [string, string, RegExp][] = [
    ['an endless loop', 'for (;;) {}', /ran out of time/],
    ['a memory bomb', 'const a = []; for (;;) a.push("x".repeat(1e6) + Math.random());', /out of memory/],
    ['deep recursion', 'function f(n) { return f(n + 1) + 1 } return f(0)', /stack/],
    ['reaching for process', 'return process.env', /process.? is not defined/],
    ['reaching for require', 'return require("fs")', /require.? is not defined/],
    ['a dynamic import', 'return await import("node:fs")', /threw|import/],
    ['reaching for fetch', 'return await fetch("http://127.0.0.1:1/")', /fetch.? is not defined/],
  ];
  it.each(hostile)('%s', async (_name, code, expected) => {
    const client = await suite.gw.client();
    const other = await suite.gw.client();
    const running = run(client, code);
    // Meanwhile another caller is served.
    const echoed = await other.callTool({ name: 'search_tools', arguments: { query: 'add numbers', limit: 1 } });
    expect((echoed as CallResult).isError).toBeFalsy();
    const result = await running;
    expect(result.isError).toBe(true);
    expect(result.content[0]!.text).toMatch(expected);
  });

  it('a flood of console.log is bounded and says how much was dropped', async () => {
    const client = await suite.gw.client();
    const result = await run(client, 'for (let i = 0; i < 100000; i++) console.log("line " + i); return "done"');
    expect(result.isError).toBeFalsy();
    const consoleText = result.content.map((c) => c.text).join('\n');
    expect(consoleText.length).toBeLessThan(40_000);
    expect(consoleText).toMatch(/dropped/);
  });

  it('10,000 tool calls in a loop stop at the call limit', async () => {
    const client = await suite.gw.client();
    const result = await run(client, 'for (let i = 0; i < 10000; i++) await tools["everything__get-sum"]({ a: i, b: 1 }); return "never"');
    expect(result.isError).toBe(true);
    expect(result.content[0]!.text).toMatch(/more than 200 tool calls/);
  });

  it('globalThis holds nothing of the host, and a tool result carries no prototype out', async () => {
    const client = await suite.gw.client();
    const result = await run(
      client,
      `const names = Object.getOwnPropertyNames(globalThis);
       const r = await tools["everything__get-sum"]({ a: 1, b: 2 });
       let escaped = "no";
       try { escaped = String((r as any).constructor.constructor("return typeof process")()); } catch (e) { escaped = "threw"; }
       return { host: names.filter((n) => ["process", "require", "fetch", "Buffer", "module", "__dirname"].includes(n)), escaped };`,
    );
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toEqual({ host: [], escaped: 'undefined' });
  });
});

describe('session state', () => {
  it('survives between execute_code calls of one 2025-era session, and not into another', async () => {
    const a = await suite.gw.client({ era: 'legacy' });
    const b = await suite.gw.client({ era: 'legacy' });
    expect((await run(a, 'await state.set("count", 41); return "set"')).isError).toBeFalsy();
    expect((await run(a, 'return (await state.get("count")) + 1')).structuredContent).toEqual({ result: 42 });
    expect((await run(b, 'return (await state.get("count")) ?? "none"')).structuredContent).toEqual({ result: 'none' });
  });

  it('a 2026-07-28 caller has no session: state says so', async () => {
    const client = await suite.gw.client({ era: 'modern' });
    const result = await run(client, 'await state.set("x", 1)');
    expect(result.isError).toBe(true);
    expect(result.content[0]!.text).toMatch(/session/);
  });
});

describe('metrics', () => {
  it('counts the tokens each mode returned', async () => {
    const client = await suite.gw.client();
    await client.listTools();
    await search(client, 'file');
    // Counted once the answer has gone (the tokenizer loads on first use).
    await eventually(async () => {
      const text = await (await suite.gw.fetch('/metrics')).text();
      return /outlet_tokens_total\{mode="code",kind="list"\} [1-9]/.test(text) && /outlet_tokens_total\{mode="code",kind="search"\} [1-9]/.test(text);
    }, 10_000);
  });
});
