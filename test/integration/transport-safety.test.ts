import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutletRuntime } from '../../src/outlet/runtime.js';
import { startTestOutlet } from '../helpers/outlet.js';
import { TINY } from '../helpers/servers.js';

// The HTTP edge: DNS-rebinding protection, session lifecycle, no batches, bounded bodies.
let outlet: OutletRuntime;
const INIT = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } };
const HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

beforeAll(async () => {
  outlet = await startTestOutlet({ http: { maxBodyBytes: 2048 }, servers: { tiny: { command: process.execPath, args: [TINY] } } });
});

afterAll(async () => {
  await outlet?.close();
});

function post(body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${outlet.url}/mcp`, { method: 'POST', headers: { ...HEADERS, ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
}

async function openSession(): Promise<string> {
  const res = await post(INIT);
  expect(res.status).toBe(200);
  await res.text();
  const id = res.headers.get('mcp-session-id');
  expect(id).toBeTruthy();
  await post({ jsonrpc: '2.0', method: 'notifications/initialized' }, { 'mcp-session-id': id! });
  return id!;
}

describe('DNS rebinding protection', () => {
  it('refuses a foreign Host header', async () => {
    // fetch() may not set Host (a forbidden header), so this goes through node:http.
    const { port } = new URL(outlet.url);
    const status = await new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: '/mcp', method: 'POST', headers: { ...HEADERS, host: 'evil.example.com' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.once('error', reject);
      req.end(JSON.stringify(INIT));
    });
    expect(status).toBe(403);
  });

  it('refuses a foreign Origin with 403, and accepts a local one', async () => {
    expect((await post(INIT, { origin: 'https://evil.example.com' })).status).toBe(403);
    const local = await post(INIT, { origin: 'http://localhost:5173' });
    expect(local.status).toBe(200);
    await local.text();
  });
});

describe('sessions', () => {
  it('answers 404 for an unknown session id', async () => {
    const res = await post({ jsonrpc: '2.0', id: 2, method: 'tools/list' }, { 'mcp-session-id': 'forged-session-id' });
    expect(res.status).toBe(404);
    const body = (await res.json()) as { error: { data: { outletCode: string } } };
    expect(body.error.data.outletCode).toBe('SESSION_NOT_FOUND');
  });

  it('ends a session on DELETE; the id is then unknown', async () => {
    const id = await openSession();
    const listed = await post({ jsonrpc: '2.0', id: 2, method: 'tools/list' }, { 'mcp-session-id': id });
    expect(listed.status).toBe(200);
    await listed.text();
    const del = await fetch(`${outlet.url}/mcp`, { method: 'DELETE', headers: { 'mcp-session-id': id } });
    expect(del.status).toBe(200);
    const after = await post({ jsonrpc: '2.0', id: 3, method: 'tools/list' }, { 'mcp-session-id': id });
    expect(after.status).toBe(404);
  });

  it('asks for initialize when a 2025-era request comes without a session', async () => {
    const res = await post({ jsonrpc: '2.0', id: 5, method: 'tools/list' });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('send initialize first');
  });
});

describe('message shape', () => {
  it('refuses a JSON-RPC batch', async () => {
    const res = await post([INIT, { jsonrpc: '2.0', id: 2, method: 'ping' }]);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('batches are not accepted');
  });

  it('refuses a body over the limit with 413 before parsing it', async () => {
    const res = await post({ ...INIT, padding: 'x'.repeat(4096) });
    expect(res.status).toBe(413);
    expect(await res.text()).toContain('exceeds the limit of 2048 bytes');
  });

  it('answers malformed JSON with a parse error', async () => {
    const res = await post('{"jsonrpc": "2.0", "id": 1, "method": ');
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: number } };
    expect(body.error.code).toBe(-32700);
  });

  it('keeps serving after all of the above', async () => {
    const id = await openSession();
    const res = await post({ jsonrpc: '2.0', id: 9, method: 'tools/call', params: { name: 'tiny__ping_back', arguments: { ok: true } } }, { 'mcp-session-id': id });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('ping_back');
  });
});
