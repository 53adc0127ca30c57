import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionOf } from '../helpers/mcp-request.js';
import { suiteGateway } from '../helpers/suite-gateway.js';
import { tinyTools } from '../helpers/tool-fixtures.js';
import { FIXTURE, startSecureOutlet, type SecureOutlet } from '../security/harness.js';
import { sha256 } from '../security/keys.js';
import { rawHttp } from './raw-http.js';

// A corpus of hostile inputs at the HTTP edge. Every one gets a clear answer: an HTTP error status
// with a JSON-RPC error body (an OAuth error body for credentials; a bare 4xx from Node's own
// HTTP parser for bytes that are not HTTP), and the gateway keeps serving after each.
let sessionId: string;
const H = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
const INIT = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'hostile', version: '1' } } };

// Listening: part of the corpus is bytes only a real socket carries.
const suite = suiteGateway({ http: { maxBodyBytes: 4 * 1024 * 1024 }, servers: { tiny: tinyTools('ping_back') } }, { listen: true });
beforeAll(async () => {
  sessionId = await sessionOf(suite.gw.fetch, '/mcp', 'hostile');
});

/** The gateway still serves: health, and a real call on the open session. */
async function stillServing(): Promise<void> {
  expect((await fetch(`${suite.url}/health`)).status).toBe(200);
  const res = await fetch(`${suite.url}/mcp`, {
    method: 'POST',
    headers: { ...H, 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-11-25' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 99, method: 'tools/call', params: { name: 'tiny__ping_back', arguments: { still: 'here' } } }),
  });
  expect(res.status).toBe(200);
  expect(await res.text()).toContain('still');
}

interface Case {
  name: string;
  body: string | Uint8Array<ArrayBuffer>;
  headers?: Record<string, string>;
  path?: string;
  method?: string;
  /** Send on the open 2025-era session. */
  session?: boolean;
  status: number;
  /** The JSON-RPC error code expected in the body. */
  code?: number;
  outletCode?: string;
  message?: RegExp;
}

const nested = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
const call = (params: unknown) => JSON.stringify({ jsonrpc: '2.0', id: 5, method: 'tools/call', params });

const CASES: Case[] = [
  // Not JSON.
  { name: 'malformed JSON', body: '{"jsonrpc":', status: 400, code: -32700, outletCode: 'PARSE_ERROR' },
  { name: 'trailing garbage', body: '{"jsonrpc":"2.0","id":1,"method":"ping"} xx', status: 400, code: -32700 },
  { name: 'empty body', body: '', status: 400, code: -32600 },
  { name: 'only whitespace', body: ' \n\t ', status: 400, code: -32600 },
  { name: 'invalid UTF-8', body: new Uint8Array([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x3a, 0x31, 0x7d]), status: 400, code: -32700, message: /UTF-8/ },
  { name: 'a NUL in the middle', body: '{"jsonrpc":"2.0",\u0000"id":1}', status: 400, code: -32700 },
  // JSON, but not JSON-RPC.
  { name: 'a string', body: '"hello"', status: 400, code: -32600 },
  { name: 'a number', body: '42', status: 400, code: -32600 },
  { name: 'null', body: 'null', status: 400, code: -32600 },
  { name: 'an empty object', body: '{}', status: 400, code: -32600 },
  { name: 'JSON-RPC 1.0', body: '{"jsonrpc":"1.0","id":1,"method":"tools/list"}', status: 400, code: -32600 },
  { name: 'an object as id', body: '{"jsonrpc":"2.0","id":{},"method":"tools/list"}', status: 400, code: -32600 },
  { name: 'a number as method', body: '{"jsonrpc":"2.0","id":1,"method":5}', status: 400, code: -32600 },
  { name: 'a batch', body: '[{"jsonrpc":"2.0","id":1,"method":"ping"}]', status: 400, code: -32600, outletCode: 'BATCH_NOT_SUPPORTED' },
  { name: 'an empty batch', body: '[]', status: 400, code: -32600, outletCode: 'BATCH_NOT_SUPPORTED' },
  { name: 'a request before initialize', body: '{"jsonrpc":"2.0","id":1,"method":"tools/list"}', status: 400, code: -32600, message: /initialize/ },
  // The SDK's session transport answers a message that fails its schema as a parse error.
  { name: 'params as a string on a session', session: true, body: '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":"x"}', status: 400, code: -32700 },
  { name: 'tools/call without a name', session: true, body: call({ arguments: {} }), status: 200, code: -32602 },
  { name: 'tools/call with a number as name', session: true, body: call({ name: 7 }), status: 200, code: -32602 },
  { name: 'an unknown method', session: true, body: '{"jsonrpc":"2.0","id":1,"method":"tools/destroy_everything"}', status: 200, code: -32601 },
  // Sizes.
  { name: 'an oversized body', body: `{"x":"${'a'.repeat(4 * 1024 * 1024)}"}`, status: 413, code: -32600, outletCode: 'PAYLOAD_TOO_LARGE' },
  { name: 'a deeply nested body (10 000 levels)', body: nested(10_000), status: 400, outletCode: 'INPUT_LIMIT_EXCEEDED' },
  { name: 'deep arrays (500 000 levels)', body: `${'['.repeat(500_000)}${']'.repeat(500_000)}`, status: 400, outletCode: 'INPUT_LIMIT_EXCEEDED', message: /http\.maxJsonDepth/ },
  { name: 'a huge string (2 MiB)', session: true, body: call({ name: 'tiny__ping_back', arguments: { s: 'x'.repeat(2 * 1024 * 1024) } }), status: 400, outletCode: 'INPUT_LIMIT_EXCEEDED', message: /params\.arguments\.s/ },
  { name: 'a huge key', session: true, body: call({ name: 'tiny__ping_back', arguments: { ['k'.repeat(2 * 1024 * 1024)]: 1 } }), status: 400, outletCode: 'INPUT_LIMIT_EXCEEDED' },
  // Prototype pollution.
  { name: '__proto__ in params', session: true, body: '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"tiny__ping_back","arguments":{"__proto__":{"isAdmin":true}}}}', status: 400, code: -32600, message: /__proto__/ },
  { name: '__proto__ at the top', body: '{"__proto__":{"jsonrpc":"2.0"},"id":1,"method":"initialize"}', status: 400, code: -32600 },
  // Names and URIs.
  { name: 'path traversal in a tool name', session: true, body: call({ name: '../../etc/passwd', arguments: {} }), status: 200, code: -32602, message: /invalid name/ },
  { name: 'CRLF in a tool name', session: true, body: call({ name: 'tiny__ping_back\r\nX-Injected: yes', arguments: {} }), status: 200, code: -32602, message: /invalid name/ },
  { name: 'bidi override in a tool name', session: true, body: call({ name: 'tiny__\u202eKCAB_GNIP', arguments: {} }), status: 200, code: -32602 },
  { name: 'zero-width space in a tool name', session: true, body: call({ name: 'tiny__ping\u200b_back', arguments: {} }), status: 200, code: -32602 },
  { name: 'a 100 000-character tool name', session: true, body: call({ name: 'a'.repeat(100_000), arguments: {} }), status: 200, code: -32602 },
  { name: 'path traversal in a resource URI', session: true, body: '{"jsonrpc":"2.0","id":1,"method":"resources/read","params":{"uri":"file:///srv/../../etc/shadow"}}', status: 200, code: -32602, message: /invalid URI/ },
  { name: 'encoded traversal in a resource URI', session: true, body: '{"jsonrpc":"2.0","id":1,"method":"resources/read","params":{"uri":"file:///srv/%2E%2E/%2E%2E/etc/shadow"}}', status: 200, code: -32602 },
  // Sessions.
  { name: 'an unknown session', headers: { 'mcp-session-id': 'no-such-session' }, body: '{"jsonrpc":"2.0","id":1,"method":"tools/list"}', status: 404, outletCode: 'SESSION_NOT_FOUND' },
  { name: 'a forged UUID session', headers: { 'mcp-session-id': '5f0c8f7e-3d4b-4c2a-9e8f-1a2b3c4d5e6f' }, body: '{"jsonrpc":"2.0","id":1,"method":"tools/list"}', status: 404, outletCode: 'SESSION_NOT_FOUND' },
  { name: 'a session id of 8 000 characters', headers: { 'mcp-session-id': 's'.repeat(8000) }, body: '{"jsonrpc":"2.0","id":1,"method":"tools/list"}', status: 404, outletCode: 'SESSION_NOT_FOUND' },
  { name: 'an unknown SSE session', path: '/messages?sessionId=forged', body: '{"jsonrpc":"2.0","id":1,"method":"tools/list"}', status: 404, outletCode: 'SESSION_NOT_FOUND' },
  { name: 'an SSE post without session', path: '/messages', body: '{"jsonrpc":"2.0","id":1,"method":"tools/list"}', status: 400, outletCode: 'INVALID_REQUEST' },
  { name: 'GET without a session', method: 'GET', body: '', status: 400, outletCode: 'INVALID_REQUEST' },
  { name: 'DELETE of an unknown session', method: 'DELETE', headers: { 'mcp-session-id': 'gone' }, body: '', status: 404, outletCode: 'SESSION_NOT_FOUND' },
  // Headers.
  { name: 'a client that accepts neither JSON nor SSE', headers: { accept: 'text/html' }, body: JSON.stringify(INIT), status: 406, code: -32000 },
  { name: 'an unsupported protocol version on a session', session: true, headers: { 'mcp-protocol-version': '1999-01-01' }, body: '{"jsonrpc":"2.0","id":1,"method":"tools/list"}', status: 400 },
  { name: 'an unknown server', path: '/servers/..%2F..%2Fetc/mcp', body: JSON.stringify(INIT), status: 404, outletCode: 'UNKNOWN_SERVER' },
];

describe('hostile requests over HTTP', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s: a clear error, and the gateway keeps serving', async (_name, c) => {
    const headers: Record<string, string> = { ...H, ...(c.session ? { 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-11-25' } : {}), ...c.headers };
    const method = c.method ?? 'POST';
    const res = await fetch(`${suite.url}${c.path ?? '/mcp'}`, { method, headers, ...(method === 'POST' ? { body: c.body } : {}) });
    const text = await res.text();
    expect(res.status, text.slice(0, 300)).toBe(c.status);
    // The body is one JSON-RPC error (inside an SSE event for answers on a session's stream).
    const json = text.startsWith('{') ? text : (text.split('\n').filter((l) => l.startsWith('data: ')).pop()?.slice(6) ?? '');
    const body = JSON.parse(json) as { jsonrpc: string; error?: { code: number; message: string; data?: { outletCode?: string } } };
    expect(body.jsonrpc).toBe('2.0');
    expect(body.error, text.slice(0, 300)).toBeDefined();
    if (c.code !== undefined) expect(body.error!.code).toBe(c.code);
    if (c.outletCode !== undefined) expect(body.error!.data?.outletCode).toBe(c.outletCode);
    if (c.message) expect(body.error!.message).toMatch(c.message);
    await stillServing();
  });
});

describe('bytes that are not valid HTTP', () => {
  const request = (headerLines: string) => `POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\n${headerLines}Content-Length: 2\r\nConnection: close\r\n\r\n{}`;

  it.each([
    ['a bare CR in a header value (header injection)', 'Mcp-Session-Id: abc\rX-Injected: 1\r\n'],
    ['a NUL in a header value', 'Mcp-Session-Id: abc\u0000def\r\n'],
    ['a header name with a space', 'Mcp Session Id: abc\r\n'],
    ['a header over the size limit', `X-Big: ${'a'.repeat(20_000)}\r\n`],
  ])('%s: refused by the HTTP parser, and the gateway keeps serving', async (_name, lines) => {
    const { status } = await rawHttp(suite.url, request(lines));
    expect(status).toBeGreaterThanOrEqual(400);
    expect(status).toBeLessThan(500);
    await stillServing();
  });

  it('a request line of garbage', async () => {
    const { status } = await rawHttp(suite.url, 'GARBAGE\r\n\r\n');
    expect(status).toBe(400);
    await stillServing();
  });

  it('a body shorter than its Content-Length (the client hangs up)', async () => {
    await rawHttp(suite.url, `POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"jsonrpc"`, 300);
    await stillServing();
  });
});

describe('hostile credentials, with auth on', () => {
  let secure: SecureOutlet;
  const KEY = 'hostile-corpus-key-0123456789';

  beforeAll(async () => {
    secure = await startSecureOutlet(
      { servers: { fx: { command: process.execPath, args: [FIXTURE] } } },
      {
        auth: {
          resource: 'https://outlet.example.com/mcp',
          authorizationServers: ['https://idp.example.com'],
          apiKeys: [{ sha256: sha256(KEY), principal: 'p', roles: ['r'] }],
          jwt: { jwksUri: 'http://127.0.0.1:9/jwks.json' },
        },
        policies: [{ effect: 'allow', roles: ['r'] }],
      },
    );
  });

  afterAll(async () => {
    await secure?.close();
  });

  it.each([
    ['Bearer without a token', 'Bearer'],
    ['Bearer with two spaces', `Bearer  ${KEY}`],
    ['Basic credentials', 'Basic dXNlcjpwYXNz'],
    ['a token of 15 000 characters', `Bearer ${'x'.repeat(15_000)}`],
    ['a token of 100 000 characters (over the header limit: Node answers 431)', `Bearer ${'x'.repeat(100_000)}`],
    ['a JWT-shaped token of garbage', 'Bearer aaaa.bbbb.cccc'],
    ['a JWT whose key set is unreachable', `Bearer eyJhbGciOiJSUzI1NiIsImtpZCI6IngifQ.${Buffer.from('{"sub":"x"}').toString('base64url')}.c2ln`],
    ['two credentials', `Bearer ${KEY}, Bearer ${KEY}`],
    ['unicode in the token', 'Bearer ключ'],
  ])('%s: a 4xx or 5xx OAuth answer with a challenge, and the gateway keeps serving', async (_name, authorization) => {
    const res = await fetch(`${secure.url}/mcp`, { method: 'POST', headers: { ...H, authorization }, body: JSON.stringify(INIT) }).catch(() => undefined);
    if (res?.status === 431) await res.text();
    else if (res) {
      expect(res.status).toBeGreaterThanOrEqual(400);
      const body = (await res.json()) as { error?: string };
      expect(typeof body.error).toBe('string');
      if (res.status === 401) expect(res.headers.get('www-authenticate')).toMatch(/^Bearer /);
    }
    const ok = await fetch(`${secure.url}/mcp`, { method: 'POST', headers: { ...H, authorization: `Bearer ${KEY}` }, body: JSON.stringify(INIT) });
    expect(ok.status).toBe(200);
    await ok.text();
  });
});
