import { Hono } from 'hono';
import { pino } from 'pino';
import { registerObservabilityRoutes } from '../../src/inbound/http/observability-routes.js';
import { afterEach, describe, expect, it } from 'vitest';
import type { CallContext } from '../../src/policy/call-context.js';
import { inboundRequestChannel } from '../../src/observability/channels.js';
import { installObservability, recordPolicyDecision, requestLogFields, type GatewayLike, type ObservabilityHandle } from '../../src/observability/index.js';
import { observabilitySchema, parseObservabilityConfig } from '../../src/config/observability-schema.js';
import { Redactor, redactServerConfig, shapeOf } from '../../src/shared/redact.js';
import { otlpTracesUrl } from '../../src/observability/tracing.js';
import { randomHex, traceparent } from './helpers.js';

describe('Redactor', () => {
  const r = new Redactor({ keys: ['ssn'], patterns: ['/acme-\\d{4}/i'] });

  it('knows secret keys by substring, whatever their case and separators, and spares MCP\'s own', () => {
    for (const key of ['Authorization', 'x-api-key', 'API_KEY', 'apiKey', 'access_token', 'client_secret', 'DB_PASSWORD', 'Set-Cookie', 'auth', 'customer_ssn', 'private-key']) expect(r.isSecretKey(key), key).toBe(true);
    for (const key of ['progressToken', 'maxTokens', 'path', 'name', 'author', 'description', 'keyword']) expect(r.isSecretKey(key), key).toBe(false);
  });

  it('replaces secret shapes in free text', () => {
    const cases: [string, string][] = [
      ['Authorization: Bearer abc.def-ghi_jkl', 'Authorization: [REDACTED]'],
      ['curl -H "x" --token=s3cr3tvalue rest', 'curl -H "x" --token=[REDACTED] rest'],
      ['{"password":"hunter22"}', '{"password":"[REDACTED]"}'],
      ['use ghp_abcdefghijklmnopqrstuvwx1234 now', 'use [REDACTED] now'],
      ['key sk-abcdefghijklmnopqrstu', 'key [REDACTED]'],
      ['AKIAABCDEFGHIJKLMNOP', '[REDACTED]'],
      ['postgres://app:pa55word@db:5432/x', 'postgres://app:[REDACTED]@db:5432/x'],
      ['jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.abcdefghijkl', 'jwt [REDACTED]'],
      ['order ACME-1234 shipped', 'order [REDACTED] shipped'],
      ['nothing to see here', 'nothing to see here'],
    ];
    for (const [input, output] of cases) expect(r.redactString(input), input).toBe(output);
  });

  it('learns the values under secret keys and scrubs them from any text', () => {
    const secrets = r.collectSecrets({ a: { password: 'opensesame' }, list: [{ token: 'tok-12345' }], fine: 'public', short: { secret: 'abc' } });
    expect(secrets).toEqual(['opensesame', 'tok-12345']);
    expect(r.redactString('echo: opensesame and tok-12345', secrets)).toBe('echo: [REDACTED] and [REDACTED]');
  });

  it('writes redacted JSON, cut at the size cap without serializing the rest', () => {
    expect(r.json({ user: 'u', password: 'p', nested: { Cookie: ['a', 'b'] }, n: 1, ok: true, none: null }, 1000)).toBe(
      '{"user":"u","password":"[REDACTED]","nested":{"Cookie":["[REDACTED]","[REDACTED]"]},"n":1,"ok":true,"none":null}',
    );
    const big = r.json({ text: 'x'.repeat(5_000_000) }, 100);
    expect(big.length).toBeLessThan(200);
    expect(big).toMatch(/^\{"text":"x+\.\.\. \[truncated at 100 characters\]$/);
  });

  it('describes arguments by shape', () => {
    expect(shapeOf({ path: '/etc/passwd', opts: { lines: 3, ratio: 0.5, on: true, none: null }, tags: ['a', 'b', 1], empty: [] })).toEqual({
      path: 'string',
      opts: { lines: 'integer', ratio: 'number', on: 'boolean', none: 'null' },
      tags: ['string', 'integer'],
      empty: [],
    });
  });

  it('redacts a server entry: env and header values, URL passwords and secret query values, arguments after secret flags', () => {
    const out = redactServerConfig(
      { command: 'node', args: ['server.js', '--api-key', 'k-1234567', '--port', '80', '--password=pw123456'], env: { A: '1', TOKEN: 'x' }, url: 'https://u:pw@h.example/mcp?api_key=zz&x=1', headers: { Authorization: 'Bearer x', 'X-Team': 't' } },
      r,
    );
    expect(out).toEqual({
      command: 'node',
      args: ['server.js', '--api-key', '[REDACTED]', '--port', '80', '--password=[REDACTED]'],
      env: { A: '[REDACTED]', TOKEN: '[REDACTED]' },
      url: 'https://u:[REDACTED]@h.example/mcp?api_key=[REDACTED]&x=1',
      headers: { Authorization: '[REDACTED]', 'X-Team': '[REDACTED]' },
    });
  });
});

describe('the observability config', () => {
  it('defaults to tracing with the in-process store, metrics on, no audit', () => {
    const config = parseObservabilityConfig(undefined);
    expect(config.tracing).toMatchObject({ enabled: true, maxTraces: 1000, sampleRatio: 1 });
    expect(config.tracing.inProcess).toBeUndefined();
    expect(config.metrics).toEqual({ enabled: true, process: true });
    expect(config.audit).toEqual({ values: false, lists: false });
    expect(config.otlp.endpoint).toBeUndefined();
  });

  it('names what is wrong by path', () => {
    const result = observabilitySchema.safeParse({ redact: { patterns: ['(unclosed'] }, otlp: { endpoint: 'not a url' }, tracing: { maxTraces: 0 }, typo: 1 });
    expect(result.success).toBe(false);
    const paths = result.error!.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['redact.patterns.0', 'otlp.endpoint', 'tracing.maxTraces', '']));
  });

  it('appends /v1/traces to a bare OTLP endpoint only', () => {
    expect(otlpTracesUrl('http://collector:4318')).toBe('http://collector:4318/v1/traces');
    expect(otlpTracesUrl('http://collector:4318/custom/path')).toBe('http://collector:4318/custom/path');
  });
});

describe('the channel subscribers, driven directly', () => {
  let handle: ObservabilityHandle | undefined;
  afterEach(async () => {
    await handle?.close();
    handle = undefined;
  });

  const gatewayLike: GatewayLike = { supervisor: { get: () => undefined, status: () => [] } };

  function fakeContext(extra: Partial<CallContext> & { headers?: Headers; rpcId?: number } = {}): CallContext {
    return {
      method: 'tools/call',
      params: { name: 'x__y', arguments: {} },
      scope: { kind: 'aggregate' },
      toolName: 'x__y',
      session: { id: 's-1', era: 'legacy', transport: 'streamable-http' },
      signal: new AbortController().signal,
      state: new Map(),
      ...extra,
    } as CallContext;
  }

  it('prefer the HTTP headers\' trace context over _meta, and record policy decisions and the principal', async () => {
    const audit: string[] = [];
    handle = installObservability({ logger: pino({ level: 'silent' }), gatewayLike, auditSink: { write: (l: string) => void audit.push(l) } });
    const headerTrace = randomHex(16);
    const headerSpan = randomHex(8);
    const ctx = fakeContext({
      params: { name: 'x__y', arguments: {}, _meta: { traceparent: traceparent(randomHex(16), randomHex(8)), baggage: 'from=meta' } },
      headers: new Headers({ traceparent: traceparent(headerTrace, headerSpan) }),
      rpcId: 7,
      principal: { id: 'alice', roles: ['admin'] },
    });
    let fields: Record<string, string> = {};
    await inboundRequestChannel.tracePromise(async () => {
      recordPolicyDecision(ctx, { policy: 'authz', decision: 'allow', reason: 'role admin' });
      fields = requestLogFields(ctx);
      return { content: [] };
    }, { ctx });
    const root = handle.getTrace(headerTrace)!.roots[0]!;
    expect(root.parentSpanId).toBe(headerSpan);
    expect(root.attributes['enduser.id']).toBe('alice');
    expect(root.attributes['jsonrpc.request.id']).toBe(7);
    expect(root.events).toEqual([expect.objectContaining({ name: 'policy.decision', attributes: { 'policy.policy': 'authz', 'policy.decision': 'allow', 'policy.reason': 'role admin' } })]);
    expect(fields).toMatchObject({ traceId: headerTrace, session: 's-1', principal: 'alice', reqId: expect.any(String) });
    const record = JSON.parse(audit[0]!) as Record<string, unknown>;
    expect(record).toMatchObject({ principal: { id: 'alice', roles: ['admin'] }, decisions: [{ policy: 'authz', decision: 'allow', reason: 'role admin' }], tool: 'x__y', outcome: 'ok' });
  });

  it('never break a request when a subscriber fails; the failure is logged once', async () => {
    const lines: string[] = [];
    const broken: GatewayLike = {
      ...gatewayLike,
      currentCatalog: () => {
        throw new Error('catalog exploded');
      },
    };
    handle = installObservability({ logger: pino({ level: 'info' }, { write: (l: string) => void lines.push(l) }), gatewayLike: broken });
    for (let i = 0; i < 2; i++) {
      const result = await inboundRequestChannel.tracePromise(async () => ({ content: [{ type: 'text', text: 'fine' }] }), { ctx: fakeContext() });
      expect(result).toEqual({ content: [{ type: 'text', text: 'fine' }] });
    }
    expect(lines.filter((l) => l.includes('observability handler failed'))).toHaveLength(1);
  });

  it('do nothing once closed', async () => {
    handle = installObservability({ logger: pino({ level: 'silent' }), gatewayLike, config: { metrics: { process: false } } });
    await handle.close();
    const ctx = fakeContext({ params: { name: 'x__y', _meta: { traceparent: traceparent(randomHex(16), randomHex(8)) } } });
    await inboundRequestChannel.tracePromise(async () => ({}), { ctx });
    expect(handle.listTraces()).toEqual([]);
    expect(ctx.state.size).toBe(0);
    expect(inboundRequestChannel.hasSubscribers).toBe(false);
  });
});

describe('the observability routes', () => {
  it('go through the app\'s Host/Origin guard, and take the handle or a getter of it', async () => {
    const gatewayLike: GatewayLike = { supervisor: { get: () => undefined, status: () => [] } };
    const handle = installObservability({ logger: pino({ level: 'silent' }), gatewayLike, config: { metrics: { process: false } } });
    try {
      const app = new Hono();
      registerObservabilityRoutes(app, () => handle, { guard: (req) => (req.headers.get('host') === 'evil.example' ? new Response('refused', { status: 403 }) : undefined) });
      for (const path of ['/metrics', '/api/traces', `/api/traces/${randomHex(16)}`]) {
        expect((await app.request(path, { headers: { host: 'evil.example' } })).status, path).toBe(403);
      }
      expect((await app.request('/metrics', { headers: { host: '127.0.0.1' } })).status).toBe(200);
      expect(await (await app.request('/api/traces', { headers: { host: '127.0.0.1' } })).json()).toEqual({ traces: [] });
    } finally {
      await handle.close();
    }
  });
});

describe('W3C traceparent', () => {
  it('reads valid headers and refuses invalid ones (Trace Context, section 3.2)', async () => {
    const { parseTraceParent } = await import('../../src/observability/spans.js');
    const id = '4bf92f3577b34da6a3ce929d0e0e4736';
    expect(parseTraceParent(`00-${id}-00f067aa0ba902b7-01`)).toEqual({ traceId: id, spanId: '00f067aa0ba902b7', traceFlags: 1 });
    expect(parseTraceParent(`01-${id}-00f067aa0ba902b7-00-future`)).toEqual({ traceId: id, spanId: '00f067aa0ba902b7', traceFlags: 0 });
    for (const bad of [
      `00-${id}-00f067aa0ba902b7-01-extra`,
      `ff-${id}-00f067aa0ba902b7-01`,
      `00-${'0'.repeat(32)}-00f067aa0ba902b7-01`,
      `00-${id}-${'0'.repeat(16)}-01`,
      `00-${id.toUpperCase()}-00f067aa0ba902b7-01`,
      `00-${id}-00f067aa0ba902b7`,
      'garbage',
    ]) {
      expect(parseTraceParent(bad), bad).toBeUndefined();
    }
  });
});
