import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerlessOutlet } from '../../src/serverless/app-factory.js';
import { createNodeHttpHandler, writeWebResponse } from '../../src/serverless/node-http-adapter.js';
import { bodyOf } from '../vectors/answer.js';
import { startFixtureOutlet } from './fixture-outlet.js';
import { startFunctionsHost, type FunctionsHost } from './functions-host.js';
import { INITIALIZE_2025, modernRequest } from './modern.js';

// The Cloud Functions handler on real Node HTTP servers in front of a real gateway. Only the
// Functions Framework's body handling is reproduced (functions-host.ts).

let outlet: ServerlessOutlet;
const hosts: FunctionsHost[] = [];

beforeAll(async () => {
  outlet = await startFixtureOutlet();
});

afterAll(async () => {
  await Promise.all(hosts.map((h) => h.close()));
  await outlet?.close();
});

async function host(body: 'framework' | 'unread' | 'parsed-only'): Promise<string> {
  const started = await startFunctionsHost(createNodeHttpHandler(() => Promise.resolve(outlet)), { body });
  hosts.push(started);
  return started.url;
}

describe('the request body, however the framework left it', () => {
  it.each(['framework', 'unread', 'parsed-only'] as const)('%s: a 2026 tools/call reaches the upstream', async (mode) => {
    const call = modernRequest('tools/call', { name: 'tiny__echo', arguments: { mode } });
    const res = await fetch(`${await host(mode)}/mcp`, { method: 'POST', headers: call.headers, body: call.body });
    expect(res.status).toBe(200);
    const answer = bodyOf(await res.text(), res.headers.get('content-type')) as { result: { content: { text: string }[] } };
    expect(answer.result.content[0]!.text).toBe(`{"tool":"echo","args":{"mode":"${mode}"}}`);
  });
});

describe('responses', () => {
  it('an SSE answer streams through, and the session header arrives with it', async () => {
    const url = await host('framework');
    const res = await fetch(`${url}/mcp`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: INITIALIZE_2025 });
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const sessionId = res.headers.get('mcp-session-id')!;
    expect(bodyOf(await res.text(), 'text/event-stream')).toMatchObject({ result: { protocolVersion: '2025-11-25' } });

    // A stream that stays open (the session's GET stream) is passed on, not buffered: the answer
    // starts while the stream has no end (a buffering adapter would never answer at all).
    const stream = await fetch(`${url}/mcp`, { headers: { accept: 'text/event-stream', 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-11-25' } });
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toBe('text/event-stream');
    await stream.body!.cancel();
  });

  it('every Set-Cookie value is its own header, and other headers pass as they are', async () => {
    const server = createServer((_req, res) => {
      const headers = new Headers({ 'content-type': 'application/json', 'x-outlet': 'yes' });
      headers.append('set-cookie', 'a=1; Path=/');
      headers.append('set-cookie', 'b=2; HttpOnly');
      void writeWebResponse(new Response('{"ok":true}', { status: 201, headers }), res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
      expect(res.status).toBe(201);
      expect(res.headers.getSetCookie()).toEqual(['a=1; Path=/', 'b=2; HttpOnly']);
      expect(res.headers.get('x-outlet')).toBe('yes');
      expect(await res.json()).toEqual({ ok: true });
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('an outlet that could not start is a 500 with the reason', async () => {
    const failed = Promise.reject(new Error('OUTLET_CONFIG: servers.x.command: required'));
    failed.catch(() => undefined);
    const started = await startFunctionsHost(createNodeHttpHandler(() => failed));
    hosts.push(started);
    const res = await fetch(`${started.url}/health`);
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ ok: false, error: 'mcp-outlet could not start: OUTLET_CONFIG: servers.x.command: required' });
  });
});
