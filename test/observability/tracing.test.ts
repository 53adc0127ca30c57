import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatTraceTree, traceCommand } from '../../src/cli/trace-command.js';
import { upstreamConnectChannel } from '../../src/observability/channels.js';
import type { SpanNode, TraceSummary, TraceTree } from '../../src/observability/index.js';
import { connectHttpClient } from '../helpers/outlet.js';
import { closeObservedWithClient, randomHex, startObservedWithClient, traceparent, type Observed } from './helpers.js';

let observed: Observed;
let client: Client;

beforeAll(async () => ({ observed, client } = await startObservedWithClient({})));
afterAll(() => closeObservedWithClient(observed, client));

const textOf = (result: { content?: unknown }) => ((result.content as { type: string; text: string }[])[0]!).text;

function only<T>(items: T[]): T {
  expect(items).toHaveLength(1);
  return items[0]!;
}

describe('a tool call with the caller\'s trace context in _meta (SEP-414)', () => {
  const traceId = randomHex(16);
  const callerSpan = randomHex(8);
  let upstreamMeta: Record<string, string>;
  let tree: TraceTree;

  beforeAll(async () => {
    const result = await client.callTool({
      name: 'obs__echo_meta',
      arguments: {},
      _meta: { traceparent: traceparent(traceId, callerSpan), tracestate: 'vendor=abc', baggage: 'tenant=acme' },
    });
    upstreamMeta = JSON.parse(textOf(result)) as Record<string, string>;
    tree = observed.handle.getTrace(traceId)!;
  });

  it('reaches the upstream with the same trace id, the gateway\'s span as parent, tracestate and baggage', () => {
    const [, tid, sid, flags] = upstreamMeta.traceparent!.split('-');
    expect(tid).toBe(traceId);
    expect(sid).not.toBe(callerSpan);
    expect(flags).toBe('01');
    expect(upstreamMeta.tracestate).toBe('vendor=abc');
    expect(upstreamMeta.baggage).toBe('tenant=acme');
  });

  it('is recorded as an inbound span under the caller\'s span, with the upstream call as its child', () => {
    expect(tree).toBeDefined();
    const root = only(tree.roots);
    expect(root.name).toBe('mcp tools/call obs__echo_meta');
    expect(root.kind).toBe('server');
    expect(root.parentSpanId).toBe(callerSpan);
    expect(root.attributes).toMatchObject({ 'mcp.method.name': 'tools/call', 'gen_ai.tool.name': 'obs__echo_meta', 'outlet.server': 'obs', 'outlet.outcome': 'ok', 'outlet.endpoint': 'aggregate' });
    expect(root.attributes['mcp.session.id']).toEqual(expect.any(String));
    expect(String(root.attributes['outlet.request.payload'])).toContain('"name":"obs__echo_meta"');
    expect(String(root.attributes['outlet.response.payload'])).toContain('traceparent');
    const upstream = only(root.children);
    expect(upstream.name).toBe('upstream obs tools/call echo_meta');
    expect(upstream.kind).toBe('client');
    expect(upstream.parentSpanId).toBe(root.spanId);
    // The upstream's traceparent names exactly this span.
    expect(upstreamMeta.traceparent).toBe(traceparent(traceId, upstream.spanId));
    expect(upstream.attributes).toMatchObject({ 'outlet.server': 'obs', 'gen_ai.tool.name': 'echo_meta', 'outlet.upstream.transport': 'stdio' });
    expect(upstream.startTime).toBeGreaterThanOrEqual(root.startTime);
    expect(upstream.endTime).toBeLessThanOrEqual(root.endTime);
    expect(root.durationMs).toBeGreaterThan(0);
  });

  it('puts the console line the upstream printed during the call inside the upstream span only', () => {
    const root = tree.roots[0]!;
    const upstream = root.children[0]!;
    const lines = upstream.events.filter((e) => e.name === 'console').map((e) => e.attributes['console.line']);
    expect(lines).toEqual(['echo_meta: called']);
    expect(upstream.attributes['outlet.console.lines']).toBe(1);
    expect(root.events.filter((e) => e.name === 'console')).toEqual([]);
    const event = upstream.events.find((e) => e.name === 'console')!;
    expect(event.time).toBeGreaterThanOrEqual(upstream.startTime - 1);
    expect(event.time).toBeLessThanOrEqual(upstream.endTime + 1);
  });

  it('records the server\'s config with env values redacted', () => {
    const upstream = tree.roots[0]!.children[0]!;
    const config = JSON.parse(String(upstream.attributes['outlet.server.config'])) as { command: string; env: Record<string, string> };
    expect(config.command).toBe(process.execPath);
    expect(config.env).toEqual({ OBS_API_KEY: '[REDACTED]', OBS_MODE: '[REDACTED]' });
  });
});

describe('calls without trace context', () => {
  it('start a new trace, and the upstream still gets a traceparent of it', async () => {
    const result = await client.callTool({ name: 'obs__echo_meta', arguments: {} });
    const meta = JSON.parse(textOf(result)) as Record<string, string>;
    const [, tid, sid] = meta.traceparent!.split('-');
    const tree = observed.handle.getTrace(tid!)!;
    const root = only(tree.roots);
    expect(root.parentSpanId).toBeUndefined();
    expect(root.children[0]!.spanId).toBe(sid);
  });

  it('work on a 2026-07-28 session too', async () => {
    const modern = await connectHttpClient(`${observed.outlet.url}/mcp`, '2026-07-28');
    try {
      const traceId = randomHex(16);
      const result = await modern.callTool({ name: 'obs__echo_meta', arguments: {}, _meta: { traceparent: traceparent(traceId, randomHex(8)) } });
      const meta = JSON.parse(textOf(result)) as Record<string, string>;
      expect(meta.traceparent!.split('-')[1]).toBe(traceId);
      const root = only(observed.handle.getTrace(traceId)!.roots);
      expect(root.attributes['outlet.session.era']).toBe('modern');
      expect(root.children).toHaveLength(1);
    } finally {
      await modern.close();
    }
  });
});

describe('errors', () => {
  it('a tool error marks both spans as errors with outcome tool_error', async () => {
    const traceId = randomHex(16);
    const result = await client.callTool({ name: 'obs__fail', arguments: {}, _meta: { traceparent: traceparent(traceId, randomHex(8)) } });
    expect(result.isError).toBe(true);
    const root = only(observed.handle.getTrace(traceId)!.roots);
    expect(root.status).toBe('error');
    expect(root.attributes['outlet.outcome']).toBe('tool_error');
    expect(root.children[0]!.status).toBe('error');
  });

  it('a gateway error is recorded with its code, message and stack', async () => {
    const traceId = randomHex(16);
    await expect(client.callTool({ name: 'obs__no_such_tool', arguments: {}, _meta: { traceparent: traceparent(traceId, randomHex(8)) } })).rejects.toThrow(/Unknown tool/);
    const root = only(observed.handle.getTrace(traceId)!.roots);
    expect(root.status).toBe('error');
    expect(root.children).toEqual([]);
    expect(root.attributes).toMatchObject({ 'outlet.outcome': 'unknown_tool', 'error.type': 'UNKNOWN_TOOL' });
    const exception = root.events.find((e) => e.name === 'exception')!;
    expect(exception.attributes['exception.message']).toMatch(/Unknown tool "obs__no_such_tool"/);
    expect(String(exception.attributes['exception.stacktrace'])).toMatch(/OutletError[\s\S]*at /);
  });
});

describe('list requests and per-server endpoints', () => {
  it('a per-server endpoint call names the server as endpoint and the tool as published there', async () => {
    const direct = await connectHttpClient(`${observed.outlet.url}/servers/obs/mcp`, '2025-11-25');
    try {
      const traceId = randomHex(16);
      await direct.callTool({ name: 'echo_meta', arguments: {}, _meta: { traceparent: traceparent(traceId, randomHex(8)) } });
      const root = only(observed.handle.getTrace(traceId)!.roots);
      expect(root.name).toBe('mcp tools/call echo_meta');
      expect(root.attributes).toMatchObject({ 'outlet.endpoint': 'obs', 'outlet.server': 'obs' });
      expect(root.children[0]!.name).toBe('upstream obs tools/call echo_meta');
    } finally {
      await direct.close();
    }
  });
});

describe('the trace API', () => {
  it('lists traces newest first, filtered by server, tool, status and duration', async () => {
    // Far longer than any other call here takes, even on a loaded machine (a 120 ms sleep against a
    // 100 ms filter once caught a 30 ms call slowed past it).
    await client.callTool({ name: 'obs__sleep', arguments: { ms: 2000 } });
    const all = (await (await observed.app.request('/api/traces')).json()) as { traces: TraceSummary[] };
    expect(all.traces.length).toBeGreaterThan(3);
    expect(all.traces[0]!.name).toBe('mcp tools/call obs__sleep');

    const slow = (await (await observed.app.request('/api/traces?minDurationMs=1500')).json()) as { traces: TraceSummary[] };
    expect(slow.traces.map((t) => t.tool)).toEqual(['obs__sleep']);

    const errors = (await (await observed.app.request('/api/traces?status=error')).json()) as { traces: TraceSummary[] };
    expect(errors.traces.length).toBeGreaterThanOrEqual(2);
    expect(errors.traces.every((t) => t.status === 'error')).toBe(true);

    const byTool = (await (await observed.app.request('/api/traces?tool=obs__fail&server=obs')).json()) as { traces: TraceSummary[] };
    expect(byTool.traces.map((t) => t.outcome)).toEqual(['tool_error']);

    const limited = (await (await observed.app.request('/api/traces?limit=1')).json()) as { traces: TraceSummary[] };
    expect(limited.traces).toHaveLength(1);

    expect((await observed.app.request('/api/traces?status=bad')).status).toBe(400);
  });

  it('serves one trace as a span tree, 404 for an unknown id', async () => {
    const [latest] = observed.handle.listTraces({ limit: 1 });
    const res = await observed.app.request(`/api/traces/${latest!.traceId}`);
    expect(res.status).toBe(200);
    const tree = (await res.json()) as TraceTree;
    expect(tree.roots[0]!.children).toHaveLength(1);
    expect((await observed.app.request(`/api/traces/${randomHex(16)}`)).status).toBe(404);
    expect((await observed.app.request('/api/traces/nope')).status).toBe(400);
  });

  it('`outlet trace <id> --url` prints the tree with durations and console lines', async () => {
    const traceId = randomHex(16);
    await client.callTool({ name: 'obs__echo_meta', arguments: {}, _meta: { traceparent: traceparent(traceId, randomHex(8)) } });
    const server = serve({ fetch: observed.app.fetch, hostname: '127.0.0.1', port: 0 });
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    try {
      const { port } = server.address() as AddressInfo;
      const printed: string[] = [];
      await traceCommand(traceId, { url: `http://127.0.0.1:${port}` }, (line) => printed.push(line));
      expect(printed[0]).toBe(`trace ${traceId} (2 spans)`);
      expect(printed[1]).toMatch(/^mcp tools\/call obs__echo_meta {2}\d+(\.\d+)? ms {2}server=obs outcome=ok$/);
      // The policy chain's decision is an event of the inbound span, printed under it.
      expect(printed[2]).toMatch(/^│ {2}\+\d+\.\d+ ms {2}policy chain: allow$/);
      expect(printed[3]).toMatch(/^└─ upstream obs tools\/call echo_meta {2}\d+(\.\d+)? ms$/);
      expect(printed[4]).toMatch(/^ {6}\+\d+\.\d+ ms {2}stderr {2}echo_meta: called$/);
      await expect(traceCommand(randomHex(16), { url: `http://127.0.0.1:${port}` }, () => undefined)).rejects.toThrow(/no trace/);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('formats nested trees with branches', () => {
    const span = (name: string, children: SpanNode[] = []): SpanNode => ({ traceId: 't', spanId: name, name, kind: 'internal', startTime: 0, endTime: 1.5, durationMs: 1.5, status: 'unset', attributes: {}, events: [], children });
    const lines = formatTraceTree({ traceId: 't', spanCount: 4, droppedSpans: 0, roots: [span('a', [span('b', [span('d')]), span('c')])] });
    expect(lines).toEqual(['trace t (4 spans)', 'a  1.50 ms', '├─ b  1.50 ms', '│  └─ d  1.50 ms', '└─ c  1.50 ms']);
  });
});

describe('connect attempts (upstreamConnectChannel)', () => {
  it('become root spans with the console lines printed while connecting, and errors', async () => {
    const up = observed.outlet.gateway.supervisor.get('obs')!;
    const marker = `starting ${randomHex(4)}`;
    await upstreamConnectChannel.tracePromise(
      async () => {
        up.console.push('stderr', marker);
        await new Promise((r) => setTimeout(r, 5));
      },
      { server: 'obs', transport: 'stdio', attempt: 2, pid: 4242 },
    );
    await expect(upstreamConnectChannel.tracePromise(() => Promise.reject(new Error('spawn ENOENT')), { server: 'obs', transport: 'stdio', attempt: 3 })).rejects.toThrow();
    const connects = observed.handle.listTraces({ limit: 5 }).filter((t) => t.name === 'outlet connect obs');
    expect(connects).toHaveLength(2);
    const [failed, ok] = connects.map((t) => only(observed.handle.getTrace(t.traceId)!.roots));
    expect(ok!.attributes).toMatchObject({ 'outlet.server': 'obs', 'outlet.connect.attempt': 2, 'outlet.connect.restart': true, 'outlet.connect.pid': 4242 });
    expect(ok!.events.map((e) => e.attributes['console.line'])).toEqual([marker]);
    expect(String(ok!.attributes['outlet.server.config'])).toContain('[REDACTED]');
    expect(failed!.status).toBe('error');
    expect(failed!.statusMessage).toBe('spawn ENOENT');
  });
});

describe('the in-process store', () => {
  it('keeps only the last maxTraces traces', async () => {
    await observed.install({ tracing: { maxTraces: 3 } });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const id = randomHex(16);
      ids.push(id);
      await client.callTool({ name: 'obs__echo_meta', arguments: {}, _meta: { traceparent: traceparent(id, randomHex(8)) } });
    }
    expect(observed.handle.listTraces().map((t) => t.traceId)).toEqual(ids.slice(2).reverse());
    expect(observed.handle.getTrace(ids[0]!)).toBeUndefined();
  });
});

describe('sampling', () => {
  it('a caller\'s unsampled trace is passed on, flagged unsampled, and not recorded', async () => {
    const traceId = randomHex(16);
    const result = await client.callTool({ name: 'obs__echo_meta', arguments: {}, _meta: { traceparent: traceparent(traceId, randomHex(8), false), tracestate: 'vendor=x' } });
    const meta = JSON.parse(textOf(result)) as Record<string, string>;
    const [, tid, sid, flags] = meta.traceparent!.split('-');
    expect(tid).toBe(traceId);
    expect(sid).toMatch(/^[0-9a-f]{16}$/);
    expect(flags).toBe('00');
    expect(meta.tracestate).toBe('vendor=x');
    expect(observed.handle.getTrace(traceId)).toBeUndefined();
  });

  it('with sampleRatio 0, new traces are propagated but not recorded; sampled callers still are', async () => {
    await observed.install({ tracing: { sampleRatio: 0 } });
    const fresh = JSON.parse(textOf(await client.callTool({ name: 'obs__echo_meta', arguments: {} }))) as Record<string, string>;
    const [, tid, , flags] = fresh.traceparent!.split('-');
    expect(flags).toBe('00');
    expect(observed.handle.getTrace(tid!)).toBeUndefined();
    const traceId = randomHex(16);
    await client.callTool({ name: 'obs__echo_meta', arguments: {}, _meta: { traceparent: traceparent(traceId, randomHex(8)) } });
    expect(observed.handle.getTrace(traceId)?.spanCount).toBe(2);
  });
});
