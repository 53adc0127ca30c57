import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { describe, expect, it } from 'vitest';
import { createHttpApp } from '../../src/inbound/http/http-app.js';
import type { TraceTree } from '../../src/observability/index.js';
import { attachNodeHeaders, carryNodeHeaders, traceCarrierOf } from '../../src/protocol/trace-carrier.js';
import { eventually } from '../helpers/outlet.js';
import { suiteGateway } from '../helpers/suite-gateway.js';
import { META_ECHO, randomHex, traceparent } from './helpers.js';

/**
 * The caller's trace context is read from the Node request's own header record when the gateway
 * runs under Node, and from the Web Headers when it does not (serverless adapters, app.fetch):
 * both ways must find the same traceparent.
 */
describe('traceCarrierOf', () => {
  it('is the Web Headers of a request the HTTP layer left no Node record on', () => {
    const request = new Request('http://outlet.test/mcp', { headers: { traceparent: 'x' } });
    expect(traceCarrierOf(request)).toBe(request.headers);
  });

  it('is the Node record once attached, and stays with a request made from the first', () => {
    const request = new Request('http://outlet.test/mcp', { headers: { traceparent: 'web' } });
    const record = { traceparent: 'node' };
    attachNodeHeaders(request, record);
    expect(traceCarrierOf(request)).toBe(record);
    const copy = carryNodeHeaders(request, new Request(request, { headers: { 'mcp-protocol-version': '2025-11-25' } }));
    expect(traceCarrierOf(copy)).toBe(record);
    const plain = carryNodeHeaders(new Request('http://outlet.test/mcp'), new Request('http://outlet.test/mcp'));
    expect(traceCarrierOf(plain)).toBe(plain.headers);
  });
});

describe('an HTTP traceparent header through the gateway', () => {
  // Listening: the first way in is Node's own server, whose header record is what it reads.
  const suite = suiteGateway({ servers: { obs: { command: process.execPath, args: [META_ECHO] } }, observability: { metrics: { process: false } } }, { ready: true, listen: true });

  async function callWith(transportFetch: typeof fetch | undefined): Promise<{ traceId: string; callerSpan: string }> {
    const traceId = randomHex(16);
    const callerSpan = randomHex(8);
    const client = new Client({ name: 'carrier-test', version: '1.0.0' });
    const headers = { traceparent: traceparent(traceId, callerSpan) };
    await client.connect(new StreamableHTTPClientTransport(new URL(`${suite.url}/mcp`), { requestInit: { headers }, ...(transportFetch ? { fetch: transportFetch } : {}) }));
    try {
      await client.callTool({ name: 'obs__echo_meta', arguments: {} });
    } finally {
      await client.close();
    }
    return { traceId, callerSpan };
  }

  async function inboundParent(traceId: string): Promise<string | undefined> {
    const tree = await eventually(async () => {
      const res = await suite.gw.fetch(`/api/traces/${traceId}`);
      expect(res.status).toBe(200);
      return (await res.json()) as TraceTree;
    });
    return tree.roots.find((s) => s.name === 'mcp tools/call obs__echo_meta')?.parentSpanId;
  }

  it('parents the inbound span when served by Node (the Node header record)', async () => {
    const { traceId, callerSpan } = await callWith(undefined);
    expect(await inboundParent(traceId)).toBe(callerSpan);
  });

  it('parents the inbound span when served as a Web Request only (the Web Headers)', async () => {
    // The same gateway's app, called in process the way serverless adapters call it: no Node request behind it.
    const app = createHttpApp(suite.gateway);
    const host = new URL(suite.url).host;
    const { traceId, callerSpan } = await callWith(async (input, init) => {
      // fetch would add Host on the wire; an in-process Request has none until given one.
      const headers = new Headers(init?.headers);
      headers.set('host', host);
      return app.fetch(new Request(input, { ...init, headers }));
    });
    expect(await inboundParent(traceId)).toBe(callerSpan);
  });
});
