import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerlessOutlet } from '../../src/serverless/app-factory.js';
import { createAzureHandler, responseInitOf, type AzureHttpResponseInit } from '../../src/serverless/azure-adapter.js';
import { bodyOf } from '../vectors/answer.js';
import { startFixtureOutlet } from './fixture-outlet.js';
import { INITIALIZE_2025, modernRequest } from './modern.js';

// The Azure Functions v4 trigger over a real gateway. The v4 worker hands a handler a Fetch-like
// HttpRequest built on undici's Request; a Web Request is that shape, so it stands in for it.

const ORIGIN = 'https://outlet-func.azurewebsites.net';
let outlet: ServerlessOutlet;

beforeAll(async () => {
  outlet = await startFixtureOutlet();
});

afterAll(async () => {
  await outlet?.close();
});

const text = (init: AzureHttpResponseInit) => (init.body instanceof Uint8Array ? Buffer.from(init.body).toString('utf8') : '');
const header = (init: AzureHttpResponseInit, name: string) => init.headers.filter(([n]) => n === name).map(([, v]) => v);

describe('requests', () => {
  it('a 2026 tools/call body is read from arrayBuffer() and answered with a buffered body', async () => {
    const call = modernRequest('tools/call', { name: 'tiny__echo', arguments: { on: 'azure' } });
    const init = await createAzureHandler(() => Promise.resolve(outlet))(new Request(`${ORIGIN}/mcp`, { method: 'POST', headers: call.headers, body: call.body }));
    expect(init.status).toBe(200);
    expect(bodyOf(text(init), header(init, 'content-type')[0] ?? null)).toMatchObject({ result: { content: [{ text: '{"tool":"echo","args":{"on":"azure"}}' }] } });
  });

  it('a header given twice reaches the app whole (initialize needs both Accept types)', async () => {
    const headers = new Headers({ 'content-type': 'application/json' });
    headers.append('accept', 'application/json');
    headers.append('accept', 'text/event-stream');
    const init = await createAzureHandler(() => Promise.resolve(outlet))(new Request(`${ORIGIN}/mcp`, { method: 'POST', headers, body: INITIALIZE_2025 }));
    expect(init.status).toBe(200);
    expect(header(init, 'mcp-session-id')[0]).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("basePath takes Azure's /api route prefix off; without it the outlet sees /api/health", async () => {
    const withBase = await createAzureHandler(() => Promise.resolve(outlet), { basePath: '/api' })(new Request(`${ORIGIN}/api/health`));
    expect(JSON.parse(text(withBase))).toEqual({ status: 'ok' });
    const without = await createAzureHandler(() => Promise.resolve(outlet))(new Request(`${ORIGIN}/api/health`));
    expect(without.status).toBe(404);
  });
});

describe('responses', () => {
  it('every Set-Cookie value stays its own header pair', async () => {
    const headers = new Headers({ 'content-type': 'text/plain' });
    headers.append('set-cookie', 'a=1');
    headers.append('set-cookie', 'b=2; Secure');
    const init = await responseInitOf(new Response('hi', { headers }), false);
    expect(header(init, 'set-cookie')).toEqual(['a=1', 'b=2; Secure']);
    expect(text(init)).toBe('hi');
  });

  it('buffered: a GET for an event stream is 405 at once; streaming on: the stream is passed on', async () => {
    const get = () => new Request(`${ORIGIN}/sse`, { headers: { accept: 'text/event-stream' } });
    const buffered = await createAzureHandler(() => Promise.resolve(outlet))(get());
    expect(buffered.status).toBe(405);
    const streamed = await createAzureHandler(() => Promise.resolve(outlet), { stream: true })(get());
    expect(streamed.status).toBe(200);
    expect(header(streamed, 'content-type')[0]).toBe('text/event-stream');
    expect(streamed.body).toBeInstanceOf(ReadableStream);
    const reader = (streamed.body as ReadableStream<Uint8Array>).getReader();
    // The legacy SSE stream opens with the endpoint event telling the client where to POST.
    expect(Buffer.from((await reader.read()).value!).toString('utf8')).toContain('event: endpoint');
    await reader.cancel();
  });

  it('an outlet that could not start is a 500 with the reason', async () => {
    const failed = Promise.reject(new Error('no outlet config found'));
    failed.catch(() => undefined);
    const init = await createAzureHandler(() => failed)(new Request(`${ORIGIN}/health`));
    expect(init.status).toBe(500);
    expect(JSON.parse(text(init)).error).toBe('mcp-outlet could not start: no outlet config found');
  });
});
