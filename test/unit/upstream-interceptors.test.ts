import { describe, expect, it } from 'vitest';
import { OutletError } from '../../src/errors/index.js';
import { CircuitBreaker } from '../../src/upstream/interceptors/circuit-breaker.js';
import { concurrencyLimit } from '../../src/upstream/interceptors/concurrency-limit.js';
import { deadline } from '../../src/upstream/interceptors/deadline.js';
import { compose, type Dispatch, type UpstreamCall } from '../../src/upstream/interceptors/types.js';
import { tracing } from '../../src/upstream/interceptors/tracing.js';
import { upstreamRequestChannel, type UpstreamRequestContext } from '../../src/observability/channels.js';
import { parseConfig } from '../../src/config/index.js';
import { composeServerCall } from '../../src/supervisor/server-call.js';

function call(over: Partial<UpstreamCall> = {}): UpstreamCall {
  return { server: 'up', connection: {} as never, method: 'tools/call', params: {}, options: {}, ...over };
}

/** A send whose calls stay open until released, in order. */
function gatedSend() {
  const open: (() => void)[] = [];
  const send: Dispatch = () => new Promise((resolve) => open.push(() => resolve({ ok: true })));
  return { send, open };
}

describe('concurrencyLimit', () => {
  it('queues past the limit, answers GATEWAY_BUSY at once when the queue is full, and drains in order', async () => {
    const { send, open } = gatedSend();
    const invoke = compose([concurrencyLimit({ maxConcurrent: 2, maxQueued: 1 })], send);
    const first = invoke(call());
    const second = invoke(call());
    const queued = invoke(call());
    await expect(invoke(call())).rejects.toMatchObject({ code: 'GATEWAY_BUSY', message: expect.stringContaining('2 calls in flight and 1 waiting') });
    await Promise.resolve();
    expect(open).toHaveLength(2); // the third waits for a slot
    open[0]!();
    await first;
    await new Promise((r) => setTimeout(r, 0));
    expect(open).toHaveLength(3);
    open[1]!();
    open[2]!();
    await expect(Promise.all([second, queued])).resolves.toHaveLength(2);
  });

  it('lets a waiting caller that gives up leave the queue', async () => {
    const { send, open } = gatedSend();
    const invoke = compose([concurrencyLimit({ maxConcurrent: 1, maxQueued: 1 })], send);
    const running = invoke(call());
    const abort = new AbortController();
    const waiting = invoke(call({ options: { signal: abort.signal } }));
    abort.abort();
    await expect(waiting).rejects.toThrow('cancelled while waiting');
    // the slot in the queue is free again
    const next = invoke(call());
    open[0]!();
    await running;
    await new Promise((r) => setTimeout(r, 0));
    open[1]!();
    await expect(next).resolves.toEqual({ ok: true });
  });
});

describe('CircuitBreaker', () => {
  const timeout = () => Promise.reject(new OutletError('UPSTREAM_TIMEOUT', 'slow'));

  it('opens after the threshold of faults, fails fast, then lets one probe through after the cooldown', async () => {
    let now = 0;
    const states: string[] = [];
    const breaker = new CircuitBreaker({ failureThreshold: 2, cooldownMs: 1000 }, (s) => states.push(s), () => now);
    let sends = 0;
    let healthy = false;
    const invoke = compose([breaker.interceptor], () => {
      sends++;
      return healthy ? Promise.resolve({ ok: true }) : timeout();
    });
    await expect(invoke(call())).rejects.toMatchObject({ code: 'UPSTREAM_TIMEOUT' });
    await expect(invoke(call())).rejects.toMatchObject({ code: 'UPSTREAM_TIMEOUT' });
    expect(breaker.state).toBe('open');
    await expect(invoke(call())).rejects.toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', message: expect.stringContaining('circuit open') });
    expect(sends).toBe(2); // failed fast, never sent
    now = 1500;
    await expect(invoke(call())).rejects.toMatchObject({ code: 'UPSTREAM_TIMEOUT' }); // the probe fails...
    expect(breaker.state).toBe('open'); // ...and the circuit opens again
    now = 3000;
    healthy = true;
    await expect(invoke(call())).resolves.toEqual({ ok: true });
    expect(breaker.state).toBe('closed');
    expect(states).toEqual(['open', 'half-open', 'open', 'half-open', 'closed']);
  });

  it('does not count error answers (a tool error, an invalid request) as faults', async () => {
    const breaker = new CircuitBreaker({ failureThreshold: 1, cooldownMs: 1000 });
    const invoke = compose([breaker.interceptor], () => Promise.reject(new OutletError('INVALID_PARAMS', 'bad')));
    await expect(invoke(call())).rejects.toMatchObject({ code: 'INVALID_PARAMS' });
    await expect(invoke(call())).rejects.toMatchObject({ code: 'INVALID_PARAMS' });
    expect(breaker.state).toBe('closed');
  });
});

describe('deadline', () => {
  it('sets the idle timeout and hard cap unless the call already has one', async () => {
    const seen: UpstreamCall[] = [];
    const invoke = compose([deadline({ idleMs: 500, maxMs: 5000 })], (c) => {
      seen.push(c);
      return Promise.resolve({});
    });
    await invoke(call());
    await invoke(call({ options: { timeoutMs: 42 } }));
    expect(seen.map((c) => [c.options.timeoutMs, c.options.maxTotalMs])).toEqual([
      [500, 5000],
      [42, 5000],
    ]);
  });
});

describe('tracing', () => {
  it('publishes the call, its caller and owner before the rest of the path runs, then the result or the error', async () => {
    const owner = {};
    const caller = { method: 'tools/call' };
    const seen: string[] = [];
    const contexts: UpstreamRequestContext[] = [];
    const handlers = {
      start: (data: UpstreamRequestContext) => {
        contexts.push(data);
        seen.push('start');
      },
      end: () => undefined,
      asyncStart: (data: UpstreamRequestContext) => seen.push(`asyncStart:${data.error === undefined ? 'result' : 'error'}`),
      asyncEnd: () => seen.push('asyncEnd'),
      error: () => seen.push('error'),
    };
    upstreamRequestChannel.subscribe(handlers);
    try {
      let fail = false;
      const invoke = compose([tracing(owner)], () => {
        seen.push('send');
        return fail ? Promise.reject(new OutletError('UPSTREAM_TIMEOUT', 'slow')) : Promise.resolve({ ok: true });
      });
      const traced = call({ caller });
      await invoke(traced);
      expect(contexts[0]).toMatchObject({ ctx: caller, call: traced, owner, result: { ok: true }, error: undefined });
      fail = true;
      await expect(invoke(call({ caller }))).rejects.toMatchObject({ code: 'UPSTREAM_TIMEOUT' });
      expect(contexts[1]!.error).toMatchObject({ code: 'UPSTREAM_TIMEOUT' });
      expect(seen).toEqual(['start', 'send', 'asyncStart:result', 'asyncEnd', 'start', 'send', 'error', 'asyncStart:error', 'asyncEnd']);
    } finally {
      upstreamRequestChannel.unsubscribe(handlers);
    }
  });
});

describe('composeServerCall', () => {
  const entry = (calls: Record<string, unknown>) => parseConfig({ servers: { s: { command: 'x', timeoutMs: 700, calls } } }).servers.s!;

  it("puts the entry's timeouts on a call, a tool's own first", async () => {
    const seen: UpstreamCall['options'][] = [];
    const connection = {
      request: (_method: string, _params: unknown, options: UpstreamCall['options']) => {
        seen.push(options);
        return Promise.resolve({});
      },
    };
    const { dispatch } = composeServerCall(entry({ maxMs: 9000, tools: { 'slow_*': { timeoutMs: 5000 } } }));
    await dispatch(call({ connection: connection as never, params: { name: 'quick' } }));
    await dispatch(call({ connection: connection as never, params: { name: 'slow_job' } }));
    expect(seen.map((o) => [o.timeoutMs, o.maxTotalMs])).toEqual([
      [700, 9000],
      [5000, 9000],
    ]);
  });

  it('keeps one breaker for every call of the server, and classifies failures inside the path so it can count them', async () => {
    const connection = { request: () => Promise.reject(new Error('boom')) };
    const closed = { request: () => Promise.reject(new OutletError('UPSTREAM_CLOSED', 'gone')) };
    const { dispatch, breaker } = composeServerCall(entry({ breaker: { failureThreshold: 2, cooldownMs: 60_000 } }));
    await expect(dispatch(call({ connection: connection as never }))).rejects.toMatchObject({ code: 'UPSTREAM_ERROR' });
    expect(breaker.state).toBe('closed');
    await expect(dispatch(call({ connection: closed as never }))).rejects.toMatchObject({ code: 'UPSTREAM_CLOSED' });
    await expect(dispatch(call({ connection: closed as never }))).rejects.toMatchObject({ code: 'UPSTREAM_CLOSED' });
    expect(breaker.state).toBe('open');
    await expect(dispatch(call({ connection: closed as never }))).rejects.toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', message: expect.stringContaining('circuit open') });
  });
});
