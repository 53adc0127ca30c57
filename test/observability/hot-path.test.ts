import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createLogger, infoLineWriter, type Logger } from '../../src/observability/logger.js';
import { CallGate } from '../../src/gateway/call-gate.js';
import { inboundRequestChannel, upstreamRequestChannel, type InboundRequestContext } from '../../src/observability/channels.js';
import { installObservability, type GatewayLike, type SpanNode } from '../../src/observability/index.js';
import { UpstreamAttributes } from '../../src/observability/upstream-attributes.js';
import type { CallContext } from '../../src/policy/call-context.js';
import { SpanNames } from '../../src/observability/span-names.js';
import { SpanKind, Tracer, type SpanData } from '../../src/observability/spans.js';
import { OutletMetrics } from '../../src/observability/metrics.js';
import { fixedDecision, recordPolicyDecision } from '../../src/observability/policy-decisions.js';
import { recordOf, RequestRecord } from '../../src/observability/request-record.js';
import { ConsoleBuffer } from '../../src/supervisor/console-buffer.js';
import type { UpstreamStatus } from '../../src/supervisor/upstream-status.js';
import type { UpstreamCall } from '../../src/upstream/interceptors/types.js';
import { TraceStore } from '../../src/observability/trace-store.js';
import { withMeta } from '../../src/shared/with-meta.js';

// The per-call shortcuts of observability's hot path give what the plain code they replace gave.

describe('withMeta', () => {
  it('builds what { ...params, _meta } builds: own keys in order, symbols, a replaced _meta, an own __proto__', () => {
    const meta = { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' };
    const symbol = Symbol('s');
    const cases: Record<string | symbol, unknown>[] = [
      { name: 'echo', arguments: { text: 'x' } },
      { name: 'echo', _meta: { progressToken: 1 }, after: true },
      { 2: 'two', b: 1, 1: 'one', [symbol]: 'symbol' },
      JSON.parse('{"__proto__": {"polluted": true}, "name": "x"}') as Record<string, unknown>,
      Object.create({ inherited: 1 }, { own: { value: 1, enumerable: true }, hidden: { value: 2, enumerable: false } }) as Record<string, unknown>,
    ];
    for (const params of cases) {
      const built = withMeta(params as Record<string, unknown>, meta);
      const spread = { ...params, _meta: meta };
      expect(Reflect.ownKeys(built)).toEqual(Reflect.ownKeys(spread));
      for (const key of Reflect.ownKeys(spread)) expect((built as Record<string | symbol, unknown>)[key]).toBe((spread as Record<string | symbol, unknown>)[key]);
      expect(Object.getPrototypeOf(built)).toBe(Object.prototype);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('SpanNames', () => {
  it('names spans as the templates do, with and without a tool, the empty name included', () => {
    const names = new SpanNames();
    for (let round = 0; round < 2; round++) {
      expect(names.inboundName('tools/call', 'fs__read')).toBe('mcp tools/call fs__read');
      expect(names.inboundName('tools/call', undefined)).toBe('mcp tools/call');
      expect(names.inboundName('tools/call', '')).toBe('mcp tools/call ');
      expect(names.upstreamName('fs', 'tools/call', 'read')).toBe('upstream fs tools/call read');
      expect(names.upstreamName('fs', 'tools/call', undefined)).toBe('upstream fs tools/call');
      expect(names.upstreamName('fs', 'tools/call', '')).toBe('upstream fs tools/call ');
    }
  });

  it('gives the right name after the last one asked for, the same or another, and on a first ask for empty names', () => {
    const names = new SpanNames();
    expect(names.inboundName('', undefined)).toBe('mcp ');
    expect(names.upstreamName('', '', undefined)).toBe('upstream  ');
    const asks: [string, string | undefined, string | undefined][] = [
      ['tools/call', 'a', 'x'],
      ['tools/call', 'a', 'x'],
      ['tools/call', 'b', 'y'],
      ['prompts/get', 'b', 'y'],
      ['prompts/get', undefined, undefined],
      ['tools/call', 'a', 'x'],
    ];
    for (const [method, target, tool] of asks) {
      expect(names.inboundName(method, target)).toBe(target === undefined ? `mcp ${method}` : `mcp ${method} ${target}`);
      expect(names.upstreamName(target ?? 's', method, tool)).toBe(tool === undefined ? `upstream ${target ?? 's'} ${method}` : `upstream ${target ?? 's'} ${method} ${tool}`);
    }
  });
});

describe('TraceStore', () => {
  const span = (traceId: string, spanId: string): SpanData => ({
    traceId,
    spanId,
    parentSpanId: undefined,
    parentIsRemote: false,
    traceFlags: 1,
    traceState: undefined,
    name: 'mcp tools/call t',
    kind: 1,
    startTime: 1,
    endTime: 2,
    attributes: {},
    events: undefined,
    status: { code: 0 },
    deferred: undefined,
    local: undefined,
  });
  const id = (n: number) => n.toString(16).padStart(32, '0');

  it('pushes out the oldest trace, round after round, and takes back a trace that was pushed out as the newest', () => {
    const store = new TraceStore(3, 2);
    for (let n = 1; n <= 10; n++) store.onEnd(span(id(n), 'a'));
    expect(store.list().map((t) => t.traceId)).toEqual([id(10), id(9), id(8)]);
    store.onEnd(span(id(1), 'b'));
    expect(store.list().map((t) => t.traceId)).toEqual([id(1), id(10), id(9)]);
    store.onEnd(span(id(11), 'a'));
    expect(store.list().map((t) => t.traceId)).toEqual([id(11), id(1), id(10)]);
    store.clear();
    for (let n = 20; n <= 23; n++) store.onEnd(span(id(n), 'a'));
    expect(store.list().map((t) => t.traceId)).toEqual([id(23), id(22), id(21)]);
  });

  it('keeps spans up to the cap in the order they ended, and counts the rest', () => {
    const store = new TraceStore(3, 2);
    for (const s of ['a', 'b', 'c', 'd']) store.onEnd(span(id(1), s));
    const tree = store.get(id(1))!;
    expect(tree.roots.map((r) => r.spanId)).toEqual(['a', 'b']);
    expect(tree.droppedSpans).toBe(2);
  });

  it('groups the spans of a trace rooted here by their shared entry, and pushes it out and takes it back as keyed ones', () => {
    const store = new TraceStore(2, 4);
    const tracer = new Tracer([store], 1);
    const root = tracer.startSpan('mcp tools/call t', SpanKind.SERVER, undefined);
    const child = tracer.startSpan('upstream s tools/call t', SpanKind.CLIENT, root);
    expect(child.local).toBe(root.local);
    child.end();
    root.end();
    const tree = store.get(root.traceId.toUpperCase())!;
    expect(tree.spanCount).toBe(2);
    expect(tree.roots.map((r) => r.spanId)).toEqual([root.spanId]);
    expect(tree.roots[0]!.children.map((c) => c.spanId)).toEqual([child.spanId]);
    // Two newer traces push it out; a late span of it comes back as the newest, alone.
    const late = tracer.startSpan('outlet connect s', SpanKind.INTERNAL, root);
    for (let n = 1; n <= 2; n++) store.onEnd(span(id(n), 'x'));
    expect(store.get(root.traceId)).toBeUndefined();
    late.end();
    expect(store.list().map((t) => t.traceId)).toEqual([root.traceId, id(2)]);
    expect(store.get(root.traceId)!.spanCount).toBe(1);
    expect(store.size).toBe(2);
  });

  it('shows a trace id that arrives both rooted here and under a caller once, with the spans of both', () => {
    const store = new TraceStore(10, 4);
    const tracer = new Tracer([store], 1);
    const local = tracer.startSpan('mcp tools/call t', SpanKind.SERVER, undefined);
    const remote = tracer.startSpan('mcp tools/call u', SpanKind.SERVER, { traceId: local.traceId, spanId: local.spanId, traceFlags: 1, isRemote: true });
    expect(remote.local).toBeUndefined();
    local.end();
    remote.end();
    store.onEnd(span(id(7), 'z'));
    expect(store.list().map((t) => [t.traceId, t.spanCount])).toEqual([
      [id(7), 1],
      [local.traceId, 2],
    ]);
    const tree = store.get(local.traceId)!;
    expect(tree.spanCount).toBe(2);
    expect(tree.roots.map((r) => r.spanId)).toEqual([local.spanId]);
    expect(tree.roots[0]!.children.map((c) => c.spanId)).toEqual([remote.spanId]);
    store.clear();
    expect(store.size).toBe(0);
    expect(store.list()).toEqual([]);
  });
});

describe('the application log destination', () => {
  const child = fileURLToPath(new URL('./log-lines-child.mjs', import.meta.url));
  const run = promisify(execFile);

  for (const [how, count] of [['exit', 3], ['exit', 5000], ['end', 5000], ['throw', 7]] as const) {
    it(`writes every line, in order, when the process ends (${how}, ${count} lines)`, async () => {
      const file = join(mkdtempSync(join(tmpdir(), 'outlet-log-')), 'app.log');
      await run(process.execPath, ['--import', 'tsx', child, file, String(count), how]).catch((err: { code?: number }) => {
        if (how !== 'throw' || err.code === undefined) throw err;
      });
      const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { i: number; msg: string });
      expect(lines.map((l) => l.i)).toEqual(Array.from({ length: count }, (_, i) => i));
    });
  }
});

describe('the tool-call line writer', () => {
  const flushed = (logger: Logger) => new Promise<void>((resolve, reject) => logger.flush((err) => (err ? reject(err) : resolve())));
  const fields = () => ({ reqId: 'a1-1', rpcId: 7, traceId: undefined, session: 's "quoted" \\ \u2028', server: 'fs', tool: 'read', latency_ms: 1.234, success: false, error: 'line\nbreak', code: undefined });

  it("writes, for the outlet's own logger, the line pino writes: same keys in the same order, bindings, level and setLevel honoured", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'outlet-line-'));
    const viaPino = createLogger('info', join(dir, 'pino.log'));
    const direct = createLogger('info', join(dir, 'direct.log'));
    for (const logger of [viaPino, direct]) logger.setBindings({ component: 'gateway' });
    viaPino.info(fields(), 'tool call');
    const write = infoLineWriter(direct);
    write(fields(), 'tool call');
    direct.level = 'warn';
    write(fields(), 'not written: below the level');
    await Promise.all([flushed(viaPino), flushed(direct)]);
    const [expected] = readFileSync(join(dir, 'pino.log'), 'utf8').trim().split('\n');
    const lines = readFileSync(join(dir, 'direct.log'), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(1);
    const withoutTime = (line: string) => line.replace(/"time":\d+/, '"time":0');
    expect(withoutTime(lines[0]!)).toBe(withoutTime(expected!));
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 30, svc: 'mcp-outlet', component: 'gateway', session: 's "quoted" \\ \u2028', msg: 'tool call' });
  });

  it('calls any other logger as usual', () => {
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
    infoLineWriter(logger)(fields(), 'tool call');
    expect(lines.map((l) => JSON.parse(l) as Record<string, unknown>)).toMatchObject([{ reqId: 'a1-1', tool: 'read', msg: 'tool call' }]);
  });
});

describe('the way in publishes on the inbound channel', () => {
  const context = () => ({ method: 'tools/call', params: {}, state: new Map() }) as unknown as CallContext;

  it('start before the work, then asyncStart and asyncEnd with the result; error first when it fails; nothing without subscribers', async () => {
    const seen: string[] = [];
    const owner = {};
    const subscriber = {
      start: (d: InboundRequestContext) => void seen.push(`start owner=${String(d.owner === owner)}`),
      error: (d: InboundRequestContext) => void seen.push(`error ${(d.error as Error).message}`),
      asyncStart: () => void seen.push('asyncStart'),
      asyncEnd: (d: InboundRequestContext) => void seen.push(`asyncEnd ${JSON.stringify(d.result ?? null)}`),
    };
    const gate = new CallGate(owner);
    const ok = gate.wrap(async () => {
      seen.push('work');
      return { content: [] };
    });
    const failing = gate.wrap(async () => {
      throw new Error('refused');
    });
    await ok(context());
    expect(seen).toEqual(['work']);
    inboundRequestChannel.subscribe(subscriber);
    try {
      await expect(ok(context())).resolves.toEqual({ content: [] });
      await expect(failing(context())).rejects.toThrow('refused');
    } finally {
      inboundRequestChannel.unsubscribe(subscriber);
    }
    expect(seen).toEqual(['work', 'start owner=true', 'work', 'asyncStart', 'asyncEnd {"content":[]}', 'start owner=true', 'error refused', 'asyncStart', 'asyncEnd null']);
  });
});

describe('console marks', () => {
  it('give the lines pushed since, and count those the ring let go of', () => {
    const buffer = new ConsoleBuffer(3);
    buffer.push('stderr', 'before');
    const mark = buffer.mark;
    expect(buffer.since(mark)).toEqual({ lines: [], lost: 0 });
    buffer.push('stderr', 'a');
    buffer.push('stdout', 'b');
    expect(buffer.since(mark).lines.map((l) => `${l.stream}:${l.line}`)).toEqual(['stderr:a', 'stdout:b']);
    expect(buffer.since(mark).lost).toBe(0);
    for (const text of ['c', 'd', 'e']) buffer.push('stderr', text);
    // Five pushed since the mark, three held: a and b are gone.
    expect(buffer.since(mark)).toMatchObject({ lines: [{ line: 'c' }, { line: 'd' }, { line: 'e' }], lost: 2 });
    expect(buffer.since(buffer.mark)).toEqual({ lines: [], lost: 0 });
  });

  it('put the lines printed while an upstream span ran into it, the first consoleLines of those held, the rest counted', async () => {
    const buffer = new ConsoleBuffer(3);
    const { handle, call } = observedOutlet(buffer, { consoleLines: 2 });
    try {
      const traced = async (print: string[]) => {
        buffer.push('stderr', 'printed before the call');
        const upstream = await call('t', () => {
          for (const line of print) buffer.push('stderr', line);
        });
        return { lines: upstream.events.filter((e) => e.name === 'console').map((e) => e.attributes['console.line']), kept: upstream.attributes['outlet.console.lines'], dropped: upstream.attributes['outlet.console.dropped'] };
      };
      expect(await traced([])).toEqual({ lines: [], kept: undefined, dropped: undefined });
      expect(await traced(['one'])).toEqual({ lines: ['one'], kept: 1, dropped: undefined });
      // Three printed, two kept, one counted.
      expect(await traced(['1', '2', '3'])).toEqual({ lines: ['1', '2'], kept: 2, dropped: 1 });
      // Five printed into a ring of three: two gone before the span ended, one more past the cap.
      expect(await traced(['a', 'b', 'c', 'd', 'e'])).toEqual({ lines: ['c', 'd'], kept: 2, dropped: 3 });
    } finally {
      await handle.close();
    }
  });
});

/** Observability installed on a fake gateway with one server `s` and this console; `call` makes one traced tools/call and gives its upstream span. */
function observedOutlet(buffer: ConsoleBuffer, tracing: Record<string, unknown> = {}) {
  const config = { transport: 'stdio' };
  const gatewayLike: GatewayLike = { supervisor: { get: () => ({ console: buffer, config }), status: () => [] } };
  const handle = installObservability({ logger: createLogger('silent', '/dev/null'), gatewayLike, config: { tracing, metrics: { enabled: false }, logs: { toolCalls: false } } });
  const call = async (tool: string, during: () => void, options: { fail?: boolean; version?: string } = {}): Promise<SpanNode> => {
    const ctx = { method: 'tools/call', params: { name: `s__${tool}`, arguments: {} }, scope: { kind: 'aggregate' }, toolName: `s__${tool}`, session: { era: 'legacy', transport: 'streamable-http' }, state: new Map(), observation: undefined } as unknown as CallContext;
    const upstreamCall = { server: 's', connection: { config, protocolVersion: options.version ?? '2025-11-25' }, method: 'tools/call', params: { name: tool, arguments: {} }, options: {} } as unknown as UpstreamCall;
    const work = async () => {
      during();
      if (options.fail) throw new Error('upstream broke');
      return { content: [] };
    };
    await inboundRequestChannel.tracePromise(() => upstreamRequestChannel.tracePromise(work, { ctx, call: upstreamCall }), { ctx }).catch(() => undefined);
    return handle.getTrace(recordOf(ctx)!.traceId!)!.roots[0]!.children[0]!;
  };
  return { handle, call };
}

describe('upstream span attributes', () => {
  it('are one frozen record for calls that would make the same, and a span that writes its own gets a copy', async () => {
    const buffer = new ConsoleBuffer();
    const { handle, call } = observedOutlet(buffer);
    try {
      const plain = await call('t', () => {});
      const failed = await call('t', () => buffer.push('stderr', 'a line'), { fail: true });
      const again = await call('t', () => {});
      const other = await call('u', () => {}, { version: '2026-07-28' });
      expect(plain.attributes).toEqual({ 'mcp.method.name': 'tools/call', 'gen_ai.tool.name': 't', 'outlet.server': 's', 'outlet.upstream.transport': 'stdio', 'mcp.protocol.version': '2025-11-25', 'outlet.server.config': '{"transport":"stdio"}' });
      expect(failed.attributes).toMatchObject({ 'gen_ai.tool.name': 't', 'error.type': 'Error', 'outlet.console.lines': 1 });
      // The failed call's writes stayed on its span.
      expect(again.attributes).toEqual(plain.attributes);
      expect(other.attributes).toMatchObject({ 'gen_ai.tool.name': 'u', 'mcp.protocol.version': '2026-07-28' });
    } finally {
      await handle.close();
    }
  });

  it('are shared, frozen, from the first call that repeats the previous one\'s inputs (server, method, tool, config, protocol version)', () => {
    const attributes = new UpstreamAttributes((config) => JSON.stringify(config));
    const config = { transport: 'stdio' };
    const call = (server: string, method: string, cfg: object, version: string) => ({ server, method, connection: { config: cfg, protocolVersion: version } }) as unknown as UpstreamCall;
    const base = () => attributes.for(call('s', 'tools/call', config, 'v1'), 't');
    const own = base();
    expect(Object.isFrozen(own)).toBe(false);
    const shared = base();
    expect(Object.isFrozen(shared)).toBe(true);
    expect(shared).not.toBe(own);
    expect(shared).toEqual(own);
    expect(base()).toBe(shared);
    for (const [c, tool] of [[call('x', 'tools/call', config, 'v1'), 't'], [call('s', 'prompts/get', config, 'v1'), 't'], [call('s', 'tools/call', { ...config }, 'v1'), 't'], [call('s', 'tools/call', config, 'v2'), 't'], [call('s', 'tools/call', config, 'v1'), 'u']] as const) {
      const other = attributes.for(c, tool);
      expect(Object.isFrozen(other)).toBe(false);
      // After another call's inputs, a repeat of the first starts over: its own record, then a new shared one.
      expect(Object.isFrozen(base())).toBe(false);
      const again = base();
      expect(Object.isFrozen(again)).toBe(true);
      expect(again).not.toBe(shared);
    }
  });
});

describe('request metrics', () => {
  it('counts each label set on its own when requests alternate between them, and starts over after a reset', async () => {
    // "fs" is a configured server: only those keep their name as a label.
    const metrics = new OutletMetrics({ status: () => [{ name: 'fs' } as UpstreamStatus] }, { processMetrics: false });
    const finish = (tool: string, outcome: string, seconds: number) => {
      metrics.requestStarted();
      metrics.requestFinished('tools/call', 'fs', tool, outcome, seconds);
    };
    finish('read', 'ok', 0.002);
    finish('read', 'ok', 0.02);
    finish('read', 'tool_error', 0.5);
    finish('write', 'ok', 0.002);
    finish('read', 'ok', 3);
    const text = await metrics.text();
    const count = (tool: string, outcome: string) => text.match(new RegExp(`^outlet_requests_total\\{method="tools/call",server="fs",tool="${tool}",outcome="${outcome}"\\} (\\d+)$`, 'm'))?.[1];
    expect([count('read', 'ok'), count('read', 'tool_error'), count('write', 'ok')]).toEqual(['3', '1', '1']);
    expect(text).toMatch(/^outlet_request_duration_seconds_bucket\{le="0.0025",method="tools\/call",server="fs",tool="read",outcome="ok"\} 1$/m);
    expect(text).toMatch(/^outlet_request_duration_seconds_bucket\{le="5",method="tools\/call",server="fs",tool="read",outcome="ok"\} 3$/m);
    expect(text).toMatch(/^outlet_requests_in_flight 0$/m);
    metrics.registry.resetMetrics();
    finish('read', 'ok', 0.002);
    expect(await metrics.text()).toMatch(/^outlet_requests_total\{method="tools\/call",server="fs",tool="read",outcome="ok"\} 1$/m);
  });
});

describe('fixedDecision', () => {
  it('records the same event attributes as a fresh decision, shared, and serializes as the plain decision', () => {
    const ctxWith = () => ({ state: new Map(), observation: Object.assign(new RequestRecord(0, 'r', {}), { span: new Tracer([], 1).startSpan('s', SpanKind.SERVER, undefined) }) }) as unknown as CallContext;
    const fixed = fixedDecision({ policy: 'chain', decision: 'allow' });
    const [a, b, c] = [ctxWith(), ctxWith(), ctxWith()];
    recordPolicyDecision(a, fixed);
    recordPolicyDecision(b, fixed);
    recordPolicyDecision(c, { policy: 'chain', decision: 'allow' });
    const eventOf = (ctx: CallContext) => recordOf(ctx)!.span!.events![0]!.attributes;
    expect(eventOf(a)).toEqual({ 'policy.policy': 'chain', 'policy.decision': 'allow' });
    expect(eventOf(a)).toBe(eventOf(b));
    expect(eventOf(c)).toEqual(eventOf(a));
    expect(Object.isFrozen(fixed)).toBe(true);
    expect(JSON.stringify(recordOf(a)!.decisions)).toBe('[{"policy":"chain","decision":"allow"}]');
  });
});
