import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import type { OutletRuntime } from '../../src/outlet/runtime.js';
import { createHttpApp } from '../../src/inbound/http/http-app.js';
import { eventually, startTestOutlet, waitReady } from '../helpers/outlet.js';
import { EVERYTHING } from '../helpers/servers.js';

const HEADERS = { host: '127.0.0.1', 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
const INIT = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'many', version: '1' } } });

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function heapAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

let outlet: OutletRuntime | undefined;
afterEach(async () => {
  await outlet?.close();
  outlet = undefined;
});

type App = ReturnType<typeof createHttpApp>;

/** Opens a 2025-era session through the in-process app and returns its id. */
async function open(app: App): Promise<string> {
  const res = await app.request('/mcp', { method: 'POST', headers: HEADERS, body: INIT });
  await res.text();
  const id = res.headers.get('mcp-session-id');
  if (res.status !== 200 || !id) throw new Error(`initialize answered ${res.status}`);
  return id;
}

/** A ping on a session: its HTTP status. */
async function ping(app: App | string, id: string): Promise<number> {
  const init = { method: 'POST', headers: { ...HEADERS, 'mcp-session-id': id, 'mcp-protocol-version': '2025-06-18' }, body: '{"jsonrpc":"2.0","id":2,"method":"ping"}' };
  const res = typeof app === 'string' ? await fetch(`${app}/mcp`, init) : await app.request('/mcp', init);
  await res.text();
  return res.status;
}

describe('2025-era session bounds', () => {
  it('holds 20,000 sessions opened in turn under the cap, closing the oldest idle ones, with bounded memory', async () => {
    const cap = 500;
    outlet = await startTestOutlet({ servers: {}, http: { sessions: { max: cap } } });
    const app = createHttpApp(outlet.gateway);
    const ids: string[] = [];
    let heapAt2000 = 0;
    for (let i = 0; i < 20_000; i += 25) {
      ids.push(...(await Promise.all(Array.from({ length: 25 }, () => open(app)))));
      expect(outlet.gateway.aggregate.sessionCount).toBeLessThanOrEqual(cap);
      if (ids.length === 2000) heapAt2000 = heapAfterGc();
    }
    expect(ids).toHaveLength(20_000);
    expect(outlet.gateway.aggregate.sessionCount).toBe(cap);
    // The oldest were closed (404, as for any unknown session); the newest still serve.
    expect(await ping(app, ids[0]!)).toBe(404);
    expect(await ping(app, ids[19_000]!)).toBe(404);
    expect(await ping(app, ids[19_999]!)).toBe(200);
    // 18,000 more sessions than at the 2,000 mark: unbounded, that is hundreds of MB (about 25 kB each).
    expect(heapAfterGc() - heapAt2000).toBeLessThan(64 * 1024 * 1024);
  }, 300_000);

  it('closes a session idle past http.sessions.idleTimeoutMs: its registration goes and a request on it gets 404', async () => {
    outlet = await startTestOutlet({ servers: {}, http: { sessions: { idleTimeoutMs: 300 } } });
    const app = createHttpApp(outlet.gateway);
    const id = await open(app);
    expect(outlet.gateway.sessions.get(id)).toBeDefined();
    expect(await ping(app, id)).toBe(200);
    await eventually(() => outlet!.gateway.aggregate.sessionCount === 0, 10_000);
    expect(outlet.gateway.sessions.get(id)).toBeUndefined();
    expect(await ping(app, id)).toBe(404);
  });

  it('never closes a session with an open stream, and refuses initialize with 503 at the cap when none is idle', async () => {
    outlet = await startTestOutlet({ servers: {}, http: { sessions: { max: 2, idleTimeoutMs: 1000 } } });
    const app = createHttpApp(outlet.gateway);
    const streams: AbortController[] = [];
    const ids = [await open(app), await open(app)];
    for (const id of ids) {
      const abort = new AbortController();
      streams.push(abort);
      // The standalone GET stream of each session stays open: both are busy.
      const res = await fetch(`${outlet.url}/mcp`, { headers: { accept: 'text/event-stream', 'mcp-session-id': id, 'mcp-protocol-version': '2025-06-18' }, signal: abort.signal });
      expect(res.status, await (res.status === 200 ? '' : res.text())).toBe(200);
    }
    // Past the idle timeout: both stay, for their streams are open.
    await new Promise((r) => setTimeout(r, 2000));
    expect(outlet.gateway.aggregate.sessionCount).toBe(2);
    const refused = await app.request('/mcp', { method: 'POST', headers: HEADERS, body: INIT });
    expect(refused.status).toBe(503);
    const body = (await refused.json()) as { id: unknown; error: { code: number; message: string } };
    expect(body.id).toBe(1);
    expect(body.error.code).toBe(-32014);
    expect(body.error.message).toContain('http.sessions.max = 2');
    // A stream closed makes its session idle again: then it expires, and there is room.
    streams[0]!.abort();
    await eventually(() => outlet!.gateway.aggregate.sessionCount === 1, 10_000);
    expect(await ping(outlet.url, ids[1]!)).toBe(200);
    await open(app);
    for (const s of streams) s.abort();
  });
});

describe('an expired session frees what it held', () => {
  it('drops its upstream resource subscriptions', async () => {
    outlet = await startTestOutlet({ servers: { everything: { command: process.execPath, args: [EVERYTHING, 'stdio'] } }, http: { sessions: { idleTimeoutMs: 1500 } } });
    await waitReady(outlet.url);
    const app = createHttpApp(outlet.gateway);
    const id = await open(app);
    const send = async (message: Record<string, unknown>) => {
      const res = await app.request('/mcp', { method: 'POST', headers: { ...HEADERS, 'mcp-session-id': id, 'mcp-protocol-version': '2025-06-18' }, body: JSON.stringify({ jsonrpc: '2.0', ...message }) });
      return res.text();
    };
    await send({ method: 'notifications/initialized' });
    const listed = await send({ id: 2, method: 'resources/list' });
    const uri = /"uri":"([^"]+)"/.exec(listed)![1]!;
    expect(await send({ id: 3, method: 'resources/subscribe', params: { uri } })).toContain('"result"');
    expect(outlet.gateway.subscriptions.urisOf('everything')).toContain(uri);
    await eventually(() => outlet!.gateway.aggregate.sessionCount === 0, 10_000);
    expect(outlet.gateway.subscriptions.urisOf('everything')).toEqual([]);
    expect(await ping(app, id)).toBe(404);
  }, 60_000);
});

describe('legacy SSE session bounds', () => {
  /** Opens GET /sse and returns the session id from its endpoint event, and a reader of the rest. */
  async function openSse(url: string): Promise<{ id: string; ended: Promise<void>; abort: () => void }> {
    const abort = new AbortController();
    const res = await fetch(`${url}/sse`, { headers: { accept: 'text/event-stream' }, signal: abort.signal });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    while (!/sessionId=([\w-]+)/.test(text)) {
      const { value, done } = await reader.read();
      if (done) throw new Error('stream ended before the endpoint event');
      text += decoder.decode(value);
    }
    const id = /sessionId=([\w-]+)/.exec(text)![1]!;
    const ended = (async () => {
      for (;;) {
        const { done } = await reader.read().catch(() => ({ done: true }));
        if (done) return;
      }
    })();
    return { id, ended, abort: () => abort.abort() };
  }

  const post = (url: string, id: string) =>
    fetch(`${url}/messages?sessionId=${id}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"jsonrpc":"2.0","id":1,"method":"ping"}' });

  it('closes the oldest idle SSE session at the cap, and an idle one after the timeout', async () => {
    outlet = await startTestOutlet({ servers: {}, http: { sessions: { max: 2, idleTimeoutMs: 1500 } } });
    const first = await openSse(outlet.url);
    const second = await openSse(outlet.url);
    expect((await post(outlet.url, second.id)).status).toBe(202);
    const third = await openSse(outlet.url);
    await first.ended;
    expect(outlet.gateway.aggregate.sse.size).toBe(2);
    expect((await post(outlet.url, first.id)).status).toBe(404);
    // With no POST, the others expire too: their streams end.
    await Promise.all([second.ended, third.ended]);
    expect(outlet.gateway.aggregate.sse.size).toBe(0);
    expect((await post(outlet.url, third.id)).status).toBe(404);
  }, 30_000);
});
