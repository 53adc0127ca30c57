import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { createHttpApp } from '../../src/inbound/http/http-app.js';
import { sessionOf } from '../helpers/mcp-request.js';
import { suiteGateway } from '../helpers/suite-gateway.js';
import { tinyTools } from '../helpers/tool-fixtures.js';
import { FIXTURE, startSecureOutlet } from '../security/harness.js';

// Property: whatever arrives at the inbound JSON-RPC handling, it answers with an HTTP response
// carrying a JSON-RPC error or result (or 202/empty for an accepted notification), never a bare
// 500 from an exception that escaped, and the gateway keeps serving.
let sessionId: string;
const H = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
const META = { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {}, 'io.modelcontextprotocol/clientInfo': { name: 'fuzz', version: '1' } };

// Listening: the bodies go through Node's own request reading, as in production.
const suite = suiteGateway({ servers: { tiny: tinyTools('ping_back') } }, { listen: true });
beforeAll(async () => {
  sessionId = await sessionOf(suite.gw.fetch, '/mcp', 'fuzz');
});

const METHODS = [
  'initialize',
  'ping',
  'tools/list',
  'tools/call',
  'prompts/list',
  'prompts/get',
  'resources/list',
  'resources/read',
  'resources/templates/list',
  'resources/subscribe',
  'completion/complete',
  'logging/setLevel',
  'notifications/initialized',
  'notifications/cancelled',
  'server/discover',
  'subscriptions/listen',
  'sampling/createMessage',
  '__proto__',
  'constructor',
  '',
];

const id = fc.oneof(fc.integer(), fc.string({ maxLength: 8 }), fc.constant(null), fc.constant(undefined), fc.jsonValue({ maxDepth: 1 }));
const params = fc.oneof(
  fc.constant(undefined),
  fc.jsonValue({ maxDepth: 4 }),
  fc.record({ name: fc.oneof(fc.constant('tiny__ping_back'), fc.constant('ping_back'), fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 1 })), arguments: fc.jsonValue({ maxDepth: 3 }) }, { requiredKeys: [] }),
  fc.record({ uri: fc.oneof(fc.webUrl(), fc.string({ maxLength: 20 })), _meta: fc.oneof(fc.constant(META), fc.jsonValue({ maxDepth: 2 })) }, { requiredKeys: [] }),
  fc.record({ name: fc.constant('tiny__ping_back'), arguments: fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 2 })), _meta: fc.constant(META) }),
);
const message = fc.record(
  { jsonrpc: fc.oneof(fc.constant('2.0'), fc.constant('1.0'), fc.jsonValue({ maxDepth: 0 })), id, method: fc.oneof(fc.constantFrom(...METHODS), fc.string({ maxLength: 20 }), fc.jsonValue({ maxDepth: 0 })), params },
  { requiredKeys: [] },
);

/** A POST body: a JSON-RPC-like message, any JSON, any text, or any bytes. */
const body = fc.oneof(
  { weight: 6, arbitrary: message.map((m) => JSON.stringify(m)) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 5 }).map((v) => JSON.stringify(v)) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }) },
  { weight: 1, arbitrary: fc.array(message, { maxLength: 3 }).map((m) => JSON.stringify(m)) },
);

/** Where and with which headers: no session, the real session, a forged one; either era; a per-server path. */
const envelope = fc.record({
  path: fc.constantFrom('/mcp', '/servers/tiny/mcp', '/messages?sessionId=forged', '/servers/nope/mcp'),
  session: fc.constantFrom('none', 'real', 'forged'),
  version: fc.constantFrom(undefined, '2025-11-25', '2026-07-28', 'garbage'),
  mcpMethod: fc.option(fc.string({ maxLength: 12 }), { nil: undefined }),
  contentType: fc.constantFrom('application/json', 'text/plain', 'application/json; charset=utf-8'),
});

function headersFor(e: { session: string; version: string | undefined; mcpMethod: string | undefined; contentType: string }): Record<string, string> {
  const h: Record<string, string> = { ...H, 'content-type': e.contentType };
  if (e.session === 'real') h['mcp-session-id'] = sessionId;
  if (e.session === 'forged') h['mcp-session-id'] = 'forged-session';
  if (e.version) h['mcp-protocol-version'] = e.version;
  // Header values must be ByteStrings without CR/LF; fast-check strings may not be.
  if (e.mcpMethod && /^[\x20-\x7e]*$/.test(e.mcpMethod)) h['mcp-method'] = e.mcpMethod;
  return h;
}

/** The answer is a JSON-RPC message with a result or an error (JSON, or the last SSE event), or an accepted notification. */
async function expectJsonRpcAnswer(res: Response): Promise<void> {
  const text = await res.text();
  expect(res.status, text.slice(0, 200)).not.toBe(500);
  if (res.status === 202 || (res.status === 200 && text === '') || res.status === 405) return;
  const type = res.headers.get('content-type') ?? '';
  const payload = type.includes('text/event-stream')
    ? text
        .split('\n')
        .filter((l) => l.startsWith('data:'))
        .map((l) => l.slice(5).trim())
        .filter(Boolean)
        .pop()
    : text;
  expect(payload, `status ${res.status}: ${text.slice(0, 200)}`).toBeTruthy();
  const json = JSON.parse(payload!) as { jsonrpc?: string; result?: unknown; error?: { code?: unknown } };
  expect(json.jsonrpc).toBe('2.0');
  expect(json.result !== undefined || typeof json.error?.code === 'number', text.slice(0, 200)).toBe(true);
}

async function stillServing(): Promise<void> {
  const res = await fetch(`${suite.url}/mcp`, {
    method: 'POST',
    headers: { ...H, 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-11-25' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 'alive', method: 'tools/call', params: { name: 'tiny__ping_back', arguments: { alive: true } } }),
  });
  expect(res.status).toBe(200);
  expect(await res.text()).toContain('alive');
}

describe('fuzzing the inbound JSON-RPC handling', () => {
  it('in process (the Web Request -> Response app): every input gets a JSON-RPC answer', async () => {
    const app = createHttpApp(suite.gateway);
    await fc.assert(
      fc.asyncProperty(body, envelope, async (b, e) => {
        const res = await app.fetch(new Request(`http://127.0.0.1${e.path}`, { method: 'POST', headers: headersFor(e), body: b }));
        await expectJsonRpcAnswer(res);
      }),
      { numRuns: 1000 },
    );
    await stillServing();
  }, 120_000);

  it('over a real socket: every input gets a JSON-RPC answer, and the gateway keeps serving', async () => {
    await fc.assert(
      fc.asyncProperty(body, envelope, async (b, e) => {
        const res = await fetch(`${suite.url}${e.path}`, { method: 'POST', headers: headersFor(e), body: b });
        await expectJsonRpcAnswer(res);
      }),
      { numRuns: 150 },
    );
    await stillServing();
  }, 120_000);

  it('with every security section on (anonymous principal, policies, rate limits, pins): the same', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'outlet-fuzz-'));
    const secure = await startSecureOutlet(
      { servers: { tiny: { command: process.execPath, args: [FIXTURE] } } },
      {
        auth: { anonymous: true, anonymousRoles: ['guest'], resource: 'https://outlet.example.com/mcp' },
        policies: [
          { effect: 'allow', roles: ['guest'], tools: ['tiny__read_*', 'tiny__echo', 'read_file', 'echo'], arguments: { path: { glob: ['/data/**'] } } },
          { effect: 'deny', tools: ['*admin*'] },
          { effect: 'allow', roles: ['guest'], prompts: ['*'], resources: ['note://public/**'] },
        ],
        rateLimits: [{ per: ['principal', 'tool'], capacity: 1000, refillPerSecond: 100 }],
        pinning: { lockFile: join(dir, 'outlet.lock.json') },
        inputLimits: { maxDepth: 8, maxStringLength: 64 },
      },
    );
    try {
      await fc.assert(
        fc.asyncProperty(body, envelope, async (b, e) => {
          const headers = headersFor({ ...e, session: e.session === 'real' ? 'none' : e.session });
          const res = await fetch(`${secure.url}${e.path}`, { method: 'POST', headers, body: b });
          await expectJsonRpcAnswer(res);
        }),
        { numRuns: 300 },
      );
      expect((await fetch(`${secure.url}/health`)).status).toBe(200);
    } finally {
      await secure.close();
    }
  }, 120_000);
});
