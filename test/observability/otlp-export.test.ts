import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectHttpClient } from '../helpers/outlet.js';
import { randomHex, SECRET, startObserved, traceparent, type Observed } from './helpers.js';

/** A span as OTLP/JSON encodes it (ids in hex, attributes as key/value pairs). */
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: { key: string; value: { stringValue?: string; intValue?: string | number; boolValue?: boolean } }[];
  events?: { name: string; attributes: OtlpSpan['attributes'] }[];
  status?: { code?: number; message?: string };
}
interface OtlpRequest {
  resourceSpans: { resource: { attributes: OtlpSpan['attributes'] }; scopeSpans: { scope: { name: string }; spans: OtlpSpan[] }[] }[];
}

/** A local OTLP/HTTP collector: keeps every POST /v1/traces body it gets. */
interface Collector {
  url: string;
  requests: { path: string; headers: IncomingHttpHeaders; raw: string; body: OtlpRequest }[];
  spans(): OtlpSpan[];
  resources(): OtlpRequest['resourceSpans'][number]['resource'][];
  close(): Promise<void>;
}

async function startCollector(): Promise<Collector> {
  const requests: Collector['requests'] = [];
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (raw += chunk));
    req.on('end', () => {
      requests.push({ path: req.url ?? '', headers: req.headers, raw, body: JSON.parse(raw) as OtlpRequest });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    spans: () => requests.flatMap((r) => r.body.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans))),
    resources: () => requests.flatMap((r) => r.body.resourceSpans.map((rs) => rs.resource)),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const attr = (span: OtlpSpan, key: string) => {
  const v = span.attributes.find((a) => a.key === key)?.value;
  return v?.stringValue ?? v?.intValue ?? v?.boolValue;
};

let collector: Collector;
let observed: Observed;
let client: Client;

beforeAll(async () => {
  collector = await startCollector();
  observed = await startObserved({ serviceName: 'outlet-under-test', otlp: { endpoint: collector.url, headers: { 'x-collector-key': 'k-123' }, batchDelayMs: 60_000 } });
  client = await connectHttpClient(`${observed.outlet.url}/mcp`, '2025-11-25');
});

afterAll(async () => {
  await client?.close();
  await observed?.close();
  await collector?.close();
});

describe('with observability.otlp.endpoint', () => {
  it('delivers the spans of a call to the collector over OTLP/HTTP JSON, parent links intact', async () => {
    const traceId = randomHex(16);
    const callerSpan = randomHex(8);
    await client.callTool({ name: 'obs__login', arguments: { user: 'ann', password: SECRET }, _meta: { traceparent: traceparent(traceId, callerSpan) } });
    expect(collector.requests).toHaveLength(0); // batched, not sent per span
    await observed.handle.flush();

    const request = collector.requests[0]!;
    expect(request.path).toBe('/v1/traces');
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers['x-collector-key']).toBe('k-123');
    const resource = collector.resources()[0]!;
    expect(resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue).toBe('outlet-under-test');

    const spans = collector.spans().filter((s) => s.traceId === traceId);
    expect(spans).toHaveLength(2);
    const inbound = spans.find((s) => s.name === 'mcp tools/call obs__login')!;
    const upstream = spans.find((s) => s.name === 'upstream obs tools/call login')!;
    expect(inbound.parentSpanId).toBe(callerSpan);
    expect(inbound.kind).toBe(2); // SPAN_KIND_SERVER
    expect(upstream.parentSpanId).toBe(inbound.spanId);
    expect(upstream.kind).toBe(3); // SPAN_KIND_CLIENT
    expect(attr(inbound, 'gen_ai.tool.name')).toBe('obs__login');
    expect(attr(upstream, 'outlet.server')).toBe('obs');
    expect(upstream.events?.some((e) => e.name === 'console')).toBe(true);
    // The secret went to the upstream, never to the collector.
    for (const r of collector.requests) expect(r.raw).not.toContain(SECRET);
    expect(String(attr(inbound, 'outlet.request.payload'))).toContain('[REDACTED]');
  });

  it('keeps no traces in process unless asked', async () => {
    expect(observed.handle.keepsTraces).toBe(false);
    const res = await observed.app.request('/api/traces');
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: string }).error).toMatch(/exported to http:\/\/127\.0\.0\.1/);
  });

  it('exports and keeps in process when inProcess is on, and flushes on close', async () => {
    await observed.install({ otlp: { endpoint: `${collector.url}/v1/traces`, batchDelayMs: 60_000 }, tracing: { inProcess: true } });
    const traceId = randomHex(16);
    await client.callTool({ name: 'obs__echo_meta', arguments: {}, _meta: { traceparent: traceparent(traceId, randomHex(8)) } });
    expect(observed.handle.getTrace(traceId)?.spanCount).toBe(2);
    await observed.handle.close();
    expect(collector.spans().filter((s) => s.traceId === traceId)).toHaveLength(2);
  });
});
