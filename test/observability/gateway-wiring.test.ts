import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { describe, expect, it } from 'vitest';
import type { SpanNode, TraceSummary, TraceTree } from '../../src/observability/index.js';
import { testGateway } from '../helpers/gateway.js';
import { eventually } from '../helpers/outlet.js';
import { suiteGateway } from '../helpers/suite-gateway.js';
import { META_ECHO, randomHex, traceparent } from './helpers.js';

/**
 * Observability as the gateway itself runs it: configured by the `observability` section of the
 * config file, served on the gateway's own HTTP port, and fed by real spawns and restarts.
 */
const bootLine = `booting ${randomHex(4)}`;
const suite = suiteGateway(
  {
    servers: { obs: { command: process.execPath, args: [META_ECHO], env: { OBS_BOOT_LINE: bootLine } } },
    observability: { tracing: { maxTraces: 50 }, metrics: { process: false } },
  },
  { ready: true },
);

async function traces(query = ''): Promise<TraceSummary[]> {
  const res = await suite.gw.fetch(`/api/traces${query}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { traces: TraceSummary[] }).traces;
}

async function trace(id: string): Promise<TraceTree> {
  const res = await suite.gw.fetch(`/api/traces/${id}`);
  expect(res.status).toBe(200);
  return (await res.json()) as TraceTree;
}

function connectSpans(list: TraceSummary[]): TraceSummary[] {
  return list.filter((t) => t.name === 'outlet connect obs');
}

describe('the gateway records its own upstream connects', () => {
  it('the first spawn is a connect span with the pid, protocol version and the boot line printed while starting', async () => {
    const [first] = connectSpans(await traces());
    expect(first).toBeDefined();
    const root = (await trace(first!.traceId)).roots[0]!;
    expect(root.attributes).toMatchObject({ 'outlet.server': 'obs', 'outlet.connect.attempt': 0, 'outlet.connect.restart': false });
    expect(root.attributes['outlet.connect.pid']).toEqual(expect.any(Number));
    expect(root.attributes['outlet.connect.protocolVersion']).toEqual(expect.any(String));
    expect(root.events.map((e) => e.attributes['console.line'])).toContain(bootLine);
    expect(root.status).not.toBe('error');
  });

  it('a restart after the process is killed is a second connect span, flagged as a restart', async () => {
    const [first] = connectSpans(await traces());
    const pid = (await trace(first!.traceId)).roots[0]!.attributes['outlet.connect.pid'] as number;
    process.kill(pid, 'SIGKILL');
    await eventually(async () => connectSpans(await traces()).length >= 2, 20_000);
    const [restart] = connectSpans(await traces());
    const root = (await trace(restart!.traceId)).roots[0]!;
    expect(root.attributes).toMatchObject({ 'outlet.connect.restart': true });
    expect(root.attributes['outlet.connect.attempt']).toBeGreaterThan(0);
    expect(root.attributes['outlet.connect.pid']).not.toBe(pid);
    await suite.gw.ready();
  });
});

describe('a call through the gateway', () => {
  it('is traced with the caller\'s traceparent header, counted on /metrics and shown by /ready', async () => {
    const traceId = randomHex(16);
    const client = new Client({ name: 'wiring-test', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(`${suite.url}/mcp`), { ...suite.gw.transport, requestInit: { headers: { traceparent: traceparent(traceId, randomHex(8)) } } }));
    try {
      await client.callTool({ name: 'obs__echo_meta', arguments: {} });
    } finally {
      await client.close();
    }
    const tree = await trace(traceId);
    const inbound = tree.roots.find((s: SpanNode) => s.name === 'mcp tools/call obs__echo_meta');
    expect(inbound).toBeDefined();
    expect(inbound!.children.map((c) => c.name)).toEqual(['upstream obs tools/call echo_meta']);
    const metrics = await (await suite.gw.fetch('/metrics')).text();
    expect(metrics).toMatch(/outlet_requests_total\{method="tools\/call",server="obs",tool="echo_meta",outcome="ok"\} 1/);
    const ready = (await (await suite.gw.fetch('/ready')).json()) as { upstreams: { name: string; state: string; restarts: number }[] };
    expect(ready.upstreams.find((u) => u.name === 'obs')).toMatchObject({ state: 'connected', restarts: 1 });
  });
});

describe.each(['2025-11-25', '2026-07-28'] as const)('trace context sent upstream (client %s)', (era) => {
  it('puts the upstream span in the _meta the server receives, with the caller\'s other keys, and leaves the caller\'s params as they came', async () => {
    const traceId = randomHex(16);
    const callerSpan = randomHex(8);
    const sent = traceparent(traceId, callerSpan);
    const client = await suite.gw.client({ era });
    let received: Record<string, unknown>;
    try {
      const result = await client.callTool({ name: 'obs__echo_meta', arguments: {}, _meta: { traceparent: sent, 'example.com/tag': 'kept' } });
      received = JSON.parse((result.content as { text: string }[])[0]!.text) as Record<string, unknown>;
    } finally {
      await client.close();
    }
    const inbound = (await trace(traceId)).roots.find((s: SpanNode) => s.name === 'mcp tools/call obs__echo_meta')!;
    const upstream = inbound.children[0]!;
    // The server sees the gateway's upstream span as its parent, not the caller's span.
    expect(received).toMatchObject({ traceparent: `00-${traceId}-${upstream.spanId}-01`, 'example.com/tag': 'kept' });
    expect(upstream.parentSpanId).toBe(inbound.spanId);
    expect(inbound.parentSpanId).toBe(callerSpan);
    // The request as the caller sent it: its own traceparent, not the one written for the upstream.
    const payload = JSON.parse(String(inbound.attributes['outlet.request.payload'])) as { name: string; _meta: Record<string, unknown> };
    expect(payload).toMatchObject({ name: 'obs__echo_meta', _meta: { traceparent: sent, 'example.com/tag': 'kept' } });
  });
});

describe('two gateways in one process', () => {
  it('each records only its own requests', async () => {
    await using other = await testGateway({ servers: { obs: { command: process.execPath, args: [META_ECHO] } }, observability: { metrics: { process: false } } }, { ready: true });
    const client = await other.client({ era: '2025-11-25' });
    await client.callTool({ name: 'obs__echo_meta', arguments: {} });
    await client.close();
    const mine = suite.gateway.observability.listTraces({ tool: 'obs__echo_meta' });
    const theirs = other.gateway.observability.listTraces({ tool: 'obs__echo_meta' });
    expect(theirs).toHaveLength(1);
    expect(mine.map((t) => t.traceId)).not.toContain(theirs[0]!.traceId);
  });
});

describe('the policy chain', () => {
  it('records its decision on the inbound span: allow for a call that passed, deny with the refusing policy for one that did not', async () => {
    const client = await suite.gw.client({ era: '2025-11-25' });
    try {
      await client.callTool({ name: 'obs__sleep', arguments: { ms: 1 } });
      // A control character in a tool name is refused by the validation policy (chain step 5).
      await expect(client.callTool({ name: 'obs__sl\u0001eep', arguments: {} })).rejects.toThrow(/invalid name/);
    } finally {
      await client.close();
    }
    const [refused, allowed] = await traces('?method=tools/call');
    const eventsOf = async (t: TraceSummary) => (await trace(t.traceId)).roots[0]!.events.filter((e) => e.name === 'policy.decision').map((e) => e.attributes);
    expect(await eventsOf(allowed!)).toEqual([{ 'policy.policy': 'chain', 'policy.decision': 'allow' }]);
    expect(await eventsOf(refused!)).toEqual([expect.objectContaining({ 'policy.policy': 'validation', 'policy.decision': 'deny', 'policy.code': expect.any(String) })]);
  });
});
