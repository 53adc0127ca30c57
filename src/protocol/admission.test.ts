import { describe, expect, it } from 'vitest';
import { OutletError } from '../errors/index.js';
import type { CallContext, Handler } from '../policy/call-context.js';
import { admitAndServe, admittedRun, type AdmissionTarget } from './admission.js';

/** A chain: a policy that refuses by tool name, the hand-over at its end, then the router. */
function chain(seen: CallContext[]): Handler {
  return async (ctx) => {
    if (ctx.toolName === 'limited') throw new OutletError('RATE_LIMITED', 'slow down', { retryAfterSeconds: 3 });
    if (ctx.toolName === 'denied') throw new OutletError('UNKNOWN_TOOL', 'Unknown tool "denied"');
    await ctx.handOver?.();
    seen.push(ctx);
    return { content: [{ type: 'text', text: String(ctx.rpcId) }] };
  };
}
const target = (handle: Handler): AdmissionTarget => ({
  handle,
  scope: { kind: 'aggregate' },
  session: { era: 'modern', transport: 'streamable-http' },
  routes: (method) => method === 'tools/call',
});
const call = (name: string) => ({ jsonrpc: '2.0', id: 5, method: 'tools/call', params: { name, arguments: {} } });
const inbound = {
  refusal: (err: unknown) => (err instanceof OutletError && err.code === 'RATE_LIMITED' ? new Response(null, { status: 429 }) : undefined),
};
const sdkContext = (signal: AbortSignal): CallContext => ({ method: 'tools/call', params: {}, scope: { kind: 'aggregate' }, session: { era: 'modern', transport: 'streamable-http' }, signal, rpcId: 5, state: new Map() });

describe('admitAndServe', () => {
  it('runs the chain once: the handler takes the run over with its context and gets the result', async () => {
    const seen: CallContext[] = [];
    const sdkSignal = new AbortController().signal;
    let result: unknown;
    const response = await admitAndServe(target(chain(seen)), new Request('http://x/mcp'), call('echo'), inbound, async (bind) => {
      const req = new Request('http://x/mcp');
      bind(req);
      result = await admittedRun(req)!.claim(sdkContext(sdkSignal));
      return new Response('ok');
    });
    expect(response.status).toBe(200);
    expect(result).toEqual({ content: [{ type: 'text', text: '5' }] });
    expect(seen).toHaveLength(1);
    expect(seen[0]!.signal).toBe(sdkSignal);
  });

  it('answers a refusal that needs an HTTP status without handing the message on', async () => {
    let served = false;
    const response = await admitAndServe(target(chain([])), new Request('http://x/mcp'), call('limited'), inbound, () => {
      served = true;
      return Promise.resolve(new Response('ok'));
    });
    expect(response.status).toBe(429);
    expect(served).toBe(false);
  });

  it('hands any other refusal to the handler, which answers it in the SDK format', async () => {
    let refusal: unknown;
    await admitAndServe(target(chain([])), new Request('http://x/mcp'), call('denied'), inbound, async (bind) => {
      const req = new Request('http://x/mcp');
      bind(req);
      refusal = await admittedRun(req)!.claim(sdkContext(new AbortController().signal)).catch((e: unknown) => e);
      return new Response('ok');
    });
    expect(refusal).toMatchObject({ code: 'UNKNOWN_TOOL' });
  });

  it('ends a run the SDK answered itself (never claimed), and leaves notifications and unrouted methods alone', async () => {
    const seen: CallContext[] = [];
    let outcome: Promise<unknown> | undefined;
    const handle: Handler = (ctx) => {
      const run = chain(seen)(ctx);
      outcome = run.catch((e: unknown) => e);
      return run;
    };
    await admitAndServe(target(handle), new Request('http://x/mcp'), call('echo'), inbound, (bind) => {
      bind(new Request('http://x/mcp'));
      return Promise.resolve(new Response('ok'));
    });
    expect(await outcome).toMatchObject({ code: 'INVALID_REQUEST' });
    expect(seen).toEqual([]);
    let bound = false;
    for (const body of [{ jsonrpc: '2.0', method: 'notifications/initialized' }, { jsonrpc: '2.0', id: 1, method: 'ping' }]) {
      await admitAndServe(target(handle), new Request('http://x/mcp'), body, inbound, (bind) => {
        bind(new Request('http://x/mcp'));
        bound = admittedRun(undefined) !== undefined;
        return Promise.resolve(new Response('ok'));
      });
    }
    expect(bound).toBe(false);
  });
});
