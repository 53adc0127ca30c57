import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/observability/logger.js';
import { startFromEnvironment, type ServerlessOutlet } from '../../src/serverless/app-factory.js';
import { createLambdaHandler, type LambdaHandler } from '../../src/serverless/lambda-adapter.js';
import { bodyOf } from '../vectors/answer.js';
import { functionUrlEvent, httpApiEvent, readResult, restApiEvent } from './aws-events.js';
import { startFixtureOutlet } from './fixture-outlet.js';
import { INITIALIZE_2025, modernRequest } from './modern.js';

// The Lambda handler end to end: hand-built AWS events (the one fake) into a real gateway with
// the real tiny upstream, results read back as API Gateway would.

let outlet: ServerlessOutlet;
let handler: LambdaHandler;

beforeAll(async () => {
  outlet = await startFixtureOutlet();
  handler = createLambdaHandler(() => Promise.resolve(outlet));
});

afterAll(async () => {
  await outlet?.close();
});

/** The parts of JSON-RPC answers these tests read. */
interface RpcAnswer {
  id?: unknown;
  result: { protocolVersion: string; content: { text: string }[]; tools: { name: string }[] };
  error?: unknown;
}

/** Invokes the handler the way the runtime does (JSON in, JSON out) and reads the answer. */
async function invoke(event: unknown) {
  const result = readResult(JSON.parse(JSON.stringify(await handler(JSON.parse(JSON.stringify(event))))));
  return { ...result, json: bodyOf(result.text, result.headers.get('content-type')) as RpcAnswer | undefined };
}

describe('requests through each front door', () => {
  it('a base64-encoded body (REST API binary media type, Function URL) is decoded before the app reads it', async () => {
    const call = modernRequest('tools/call', { name: 'tiny__echo', arguments: { via: 'base64' } });
    for (const build of [restApiEvent, functionUrlEvent]) {
      const answer = await invoke(build({ method: 'POST', path: '/mcp', headers: call.headers, body: call.body, base64: true }));
      expect(answer.status).toBe(200);
      expect(answer.json?.result.content[0]?.text).toBe('{"tool":"echo","args":{"via":"base64"}}');
    }
  });

  it('an Accept header split over multiValueHeaders reaches the app whole (initialize needs both types)', async () => {
    const event = restApiEvent({ method: 'POST', path: '/mcp', headers: { 'Content-Type': 'application/json' }, body: INITIALIZE_2025 });
    event.multiValueHeaders.Accept = ['application/json', 'text/event-stream'];
    event.headers.Accept = 'text/event-stream';
    const answer = await invoke(event);
    expect(answer.status).toBe(200);
    expect(answer.json?.result.protocolVersion).toBe('2025-11-25');
    const sessionId = answer.headers.get('mcp-session-id');
    expect(sessionId).toMatch(/^[0-9a-f-]{36}$/);

    // The session lives in the warm instance: the next invocation, through another front door, finds it.
    const list = JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list', params: {} });
    const next = await invoke(httpApiEvent({ method: 'POST', path: '/mcp', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-session-id': sessionId!, 'mcp-protocol-version': '2025-11-25' }, body: list }));
    expect(next.json?.result.tools.map((t) => t.name)).toContain('tiny__echo');
  });

  it('a stage in the path is not part of the route (REST API base path, HTTP API named stage)', async () => {
    expect((await invoke(restApiEvent({ method: 'GET', path: '/health' }, { pathIncludesStage: true }))).json).toEqual({ status: 'ok' });
    expect((await invoke(httpApiEvent({ method: 'GET', path: '/health' }, { stage: 'dev' }))).json).toEqual({ status: 'ok' });
  });
});

describe('what a buffered Lambda cannot serve is refused at once, not left to time out', () => {
  it('a GET for an event stream is 405 with Allow', async () => {
    const answer = await invoke(functionUrlEvent({ method: 'GET', path: '/mcp', headers: { accept: 'text/event-stream', 'mcp-session-id': 'any' } }));
    expect(answer.status).toBe(405);
    expect(answer.headers.get('allow')).toBe('POST, DELETE');
  });

  it('a 2026 subscriptions/listen is METHOD_NOT_FOUND, answered to its id', async () => {
    const listen = modernRequest('subscriptions/listen', { notifications: { toolsListChanged: true } }, 'listen-1');
    const answer = await invoke(httpApiEvent({ method: 'POST', path: '/mcp', headers: listen.headers, body: listen.body }));
    expect(answer.status).toBe(404);
    expect(answer.json).toMatchObject({ id: 'listen-1', error: { code: -32601, data: { outletCode: 'METHOD_NOT_FOUND' } } });
  });
});

describe('failures are answers, never throws', () => {
  it('an event that is not an HTTP event is a 400 naming what was expected', async () => {
    for (const event of [null, 'text', { Records: [{ eventSource: 'aws:s3' }] }, { httpMethod: 'GE T', path: '/x' }]) {
      const result = await handler(event);
      expect(result.statusCode).toBe(400);
      expect(JSON.parse(result.body)).toMatchObject({ ok: false, error: expect.stringMatching(/expected|malformed/) });
    }
  });

  it('an outlet that could not start answers 500 with the reason on every invocation', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'outlet-no-config-'));
    try {
      const failed = startFromEnvironment({ env: {}, dir: empty }, { logger: silentLogger() });
      failed.catch(() => undefined);
      const broken = createLambdaHandler(() => failed);
      for (let i = 0; i < 2; i++) {
        const result = await broken(functionUrlEvent({ method: 'GET', path: '/health' }));
        expect(result.statusCode).toBe(500);
        expect(JSON.parse(result.body).error).toMatch(/^mcp-outlet could not start: no outlet config found: set OUTLET_CONFIG/);
      }
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
