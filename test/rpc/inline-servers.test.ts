import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutletRuntime } from '../../src/outlet/runtime.js';
import type { SpanNode } from '../../src/observability/index.js';
import { startTestOutlet } from '../helpers/outlet.js';
import { FIXTURE_SANDBOX, inlineFixture, META_ECHO, rpc, textOf } from './helpers.js';

/**
 * POST /rpc with the server's config inside the request: the outlet spawns it sandboxed, calls
 * it, keeps it warm by a hash of its config, and answers with the trace when asked.
 */
let outlet: OutletRuntime;

beforeAll(async () => {
  outlet = await startTestOutlet({
    rpc: { enabled: true, sandbox: FIXTURE_SANDBOX, allowCommands: [process.execPath] },
    observability: { metrics: { process: false } },
  });
});

afterAll(async () => {
  await outlet?.close();
});

interface OutletTrace {
  traceId: string;
  instance: { name: string; warm: boolean };
  spans: SpanNode[];
  console: { time: string; stream: string; line: string }[];
}

const traceOf = (result: Record<string, unknown> | undefined) => (result?._meta as Record<string, unknown>)['outlet/trace'] as OutletTrace;

function names(span: SpanNode): string[] {
  return [span.name, ...span.children.flatMap(names)];
}

describe('an inline-configured server', () => {
  let cold: OutletTrace;
  let coldResult: Record<string, unknown>;

  beforeAll(async () => {
    const answer = await rpc(outlet.url, 'tools/call', { name: 'echo_meta', arguments: {}, _meta: { 'outlet/server': inlineFixture(), 'outlet/trace': true, progressToken: 'p1' } });
    expect(answer.status).toBe(200);
    coldResult = answer.body.result!;
    cold = traceOf(coldResult);
  });

  it('is spawned, called, and its result returned', () => {
    expect(coldResult.isError).toBeUndefined();
    // The server saw its own _meta without the outlet's directives (its config may hold secrets).
    const seen = JSON.parse(textOf(coldResult)) as Record<string, unknown>;
    expect(Object.keys(seen).filter((k) => k.startsWith('outlet/'))).toEqual([]);
    // Caller keys that are not the outlet's pass on; the call's trace context reaches the server.
    expect(seen.progressToken).toBeDefined();
    expect(String(seen.traceparent)).toContain(cold.traceId);
  });

  it('answers with the span tree of the call, the spawn inside it, and the console lines printed meanwhile', () => {
    expect(cold.instance).toMatchObject({ name: expect.stringMatching(/^rpc-[0-9a-f]{16}$/), warm: false });
    expect(cold.spans).toHaveLength(1);
    const root = cold.spans[0]!;
    expect(root.attributes).toMatchObject({ 'mcp.method.name': 'tools/call', 'outlet.rpc.instance': 'cold', 'outlet.session.transport': 'rpc' });
    const all = names(root);
    expect(all).toContain(`outlet connect ${cold.instance.name}`);
    expect(all).toContain(`upstream ${cold.instance.name} tools/call echo_meta`);
    expect(cold.console.map((l) => l.line)).toContain('echo_meta: called');
    expect(cold.console[0]).toMatchObject({ stream: 'stderr', time: expect.any(String) });
  });

  it('is reused warm by a second identical call (keys in another order), with no spawn in its trace', async () => {
    const reordered = { args: [META_ECHO], command: process.execPath };
    const answer = await rpc(outlet.url, 'tools/call', { name: 'echo_meta', arguments: {}, _meta: { 'outlet/server': reordered, 'outlet/trace': true } });
    const warm = traceOf(answer.body.result);
    expect(warm.instance).toEqual({ name: cold.instance.name, warm: true });
    const root = warm.spans[0]!;
    expect(root.attributes['outlet.rpc.instance']).toBe('warm');
    expect(names(root).some((n) => n.startsWith('outlet connect'))).toBe(false);
    expect(names(root)).toContain(`upstream ${cold.instance.name} tools/call echo_meta`);
  });

  it('a different config is a different instance', async () => {
    const answer = await rpc(outlet.url, 'tools/call', { name: 'echo_meta', arguments: {}, _meta: { 'outlet/server': inlineFixture({ env: { FLAVOUR: 'b' } }), 'outlet/trace': true } });
    expect(traceOf(answer.body.result).instance.name).not.toBe(cold.instance.name);
    expect(traceOf(answer.body.result).instance.warm).toBe(false);
  });

  it('lists its tools, and answers without a trace unless asked', async () => {
    const answer = await rpc(outlet.url, 'tools/list', { _meta: { 'outlet/server': inlineFixture() } });
    expect(answer.status).toBe(200);
    const tools = (answer.body.result!.tools as { name: string }[]).map((t) => t.name);
    expect(tools).toEqual(expect.arrayContaining(['echo_meta', 'login', 'fail', 'sleep']));
    expect(answer.body.result!._meta).toBeUndefined();
  });

  it('a tool error comes back as the tool result (isError), a server error as its JSON-RPC error', async () => {
    const failed = await rpc(outlet.url, 'tools/call', { name: 'fail', arguments: {}, _meta: { 'outlet/server': inlineFixture() } });
    expect(failed.status).toBe(200);
    expect(failed.body.result!.isError).toBe(true);
    const unknown = await rpc(outlet.url, 'prompts/get', { name: 'nope', _meta: { 'outlet/server': inlineFixture() } });
    expect(unknown.body.error).toBeDefined();
    expect(unknown.body.result).toBeUndefined();
  });

  it('shows up in outlet/servers as an inline instance, caged by bubblewrap', async () => {
    const answer = await rpc(outlet.url, 'outlet/servers');
    const inline = answer.body.result!.inline as { name: string; state: string; sandbox?: { backend: string; enforced: string[] } }[];
    const mine = inline.find((s) => s.name === cold.instance.name);
    expect(mine).toMatchObject({ state: 'connected', sandbox: { backend: 'bubblewrap' } });
    expect(mine!.sandbox!.enforced.length).toBeGreaterThan(0);
  });

  it('outlet/trace fetches the stored trace of the cold call', async () => {
    const answer = await rpc(outlet.url, 'outlet/trace', { traceId: cold.traceId });
    expect(answer.status).toBe(200);
    expect((answer.body.result!.roots as SpanNode[])[0]!.name).toBe('mcp tools/call echo_meta');
  });
});

describe('a server that cannot start', () => {
  it('answers the caller with a clear upstream error, not a hang', async () => {
    const answer = await rpc(outlet.url, 'tools/call', { name: 'x', arguments: {}, _meta: { 'outlet/server': { command: process.execPath, args: ['-e', 'process.exit(3)'] } } });
    expect(answer.status).toBe(502);
    expect(answer.body.error!.data!.outletCode).toBe('UPSTREAM_UNAVAILABLE');
  });
});
