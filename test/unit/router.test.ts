import { describe, expect, it } from 'vitest';
import { Catalog } from '../../src/catalog/index.js';
import { OutletError } from '../../src/errors/index.js';
import type { CallContext } from '../../src/policy/call-context.js';
import { InputBridge } from '../../src/protocol/input-bridge.js';
import { Router } from '../../src/router/router.js';
import type { RouterDeps } from '../../src/router/router-deps.js';
import type { ClientChannel } from '../../src/upstream/client-channel.js';
import type { UpstreamRequest } from '../../src/upstream/interceptors/index.js';

// The router alone, over a catalog and stand-in upstreams: where each request goes, under which
// name, and what it hands the server's call path. No process is started. Its deps are named
// through RouterDeps only, so the test follows them wherever they are declared.

interface FakeUpstream {
  name: string;
  config: { prefix: string; tools: { include: string[]; exclude: string[] } };
  state: string;
  lastError?: string;
  calls: UpstreamRequest[];
  answer: (request: UpstreamRequest) => Record<string, unknown>;
  live(): { isModern: boolean; capabilities: Record<string, unknown> };
  call(request: UpstreamRequest): Promise<Record<string, unknown>>;
}

function upstream(name: string, over: { modern?: boolean; capabilities?: Record<string, unknown>; state?: string; answer?: FakeUpstream['answer'] } = {}): FakeUpstream {
  const up: FakeUpstream = {
    name,
    config: { prefix: name, tools: { include: [], exclude: [] } },
    state: over.state ?? 'connected',
    calls: [],
    answer: over.answer ?? (() => ({ content: [] })),
    live() {
      if (up.state !== 'connected') throw new OutletError('UPSTREAM_UNAVAILABLE', `upstream "${name}" is ${up.state}`, { server: name });
      return { isModern: over.modern ?? false, capabilities: over.capabilities ?? {} };
    },
    call(request) {
      up.calls.push(request);
      return Promise.resolve(up.answer(request));
    },
  };
  return up;
}

function listing(server: string, tools: string[]) {
  return {
    server,
    prefix: server,
    tools: tools.map((name) => ({ name, inputSchema: { type: 'object' as const } })),
    prompts: [],
    resources: [],
    resourceTemplates: [],
    toolFilter: { include: [], exclude: [] },
    advertisesResources: false,
  };
}

function router(upstreams: FakeUpstream[]) {
  const byName = new Map(upstreams.map((u) => [u.name, u]));
  const catalog = Catalog.build(
    upstreams.filter((u) => u.state === 'connected').map((u) => listing(u.name, ['read', 'write'])),
    { separator: '__' },
  );
  const supervisor = {
    all: () => [...byName.values()],
    get: (name: string) => byName.get(name),
    hasPendingStartup: () => false,
    waitForStartup: () => Promise.resolve(),
  } as unknown as RouterDeps['supervisor'];
  return new Router({
    catalog: () => catalog,
    supervisor,
    listWaitMs: 0,
    subscriptions: {} as RouterDeps['subscriptions'],
    sessions: { get: () => undefined } as unknown as RouterDeps['sessions'],
    bridge: new InputBridge(),
  });
}

function ctx(over: Partial<CallContext> = {}): CallContext {
  return { method: 'tools/call', params: {}, scope: { kind: 'aggregate' }, session: { era: 'legacy', transport: 'stdio' }, signal: new AbortController().signal, state: new Map(), ...over };
}

const channel = (sessionKey: string) => ({ sessionKey }) as unknown as ClientChannel;

describe('Router', () => {
  it('answers list requests from the catalog, namespaced, without calling an upstream', async () => {
    const fs = upstream('fs');
    const result = await router([fs]).dispatch(ctx({ method: 'tools/list' }));
    expect((result.tools as { name: string }[]).map((t) => t.name)).toEqual(['fs__read', 'fs__write']);
    expect(fs.calls).toHaveLength(0);
  });

  it('lists one server under its own names on its own endpoint', async () => {
    const result = await router([upstream('fs')]).dispatch(ctx({ method: 'tools/list', scope: { kind: 'server', server: 'fs' } }));
    expect((result.tools as { name: string }[]).map((t) => t.name)).toEqual(['read', 'write']);
  });

  it('sends an aggregated tools/call to the server that owns the name, under its own name, on a copy of the params', async () => {
    const fs = upstream('fs');
    const mem = upstream('mem');
    const params = { name: 'mem__write', arguments: { text: 'x' } };
    const request = ctx({ params, channel: channel('stdio:1') });
    await router([fs, mem]).dispatch(request);
    expect(fs.calls).toHaveLength(0);
    expect(mem.calls).toHaveLength(1);
    const call = mem.calls[0]!;
    expect(call).toMatchObject({ method: 'tools/call', params: { name: 'write', arguments: { text: 'x' } }, paramsOwned: true, sessionKey: 'stdio:1', caller: request });
    expect(call.params).not.toBe(params);
    expect(params.name).toBe('mem__write');
    expect(call.options.signal).toBe(request.signal);
    expect(call.options.channel).toBe(request.channel);
    expect(call.options.passInputRequired).toBeUndefined();
  });

  it("passes one server's endpoint calls through with the caller's params", async () => {
    const fs = upstream('fs');
    const params = { name: 'read', arguments: {} };
    await router([fs]).dispatch(ctx({ params, scope: { kind: 'server', server: 'fs' } }));
    expect(fs.calls[0]!.params).toBe(params);
    expect(fs.calls[0]!.paramsOwned).toBe(false);
  });

  it('lets a 2026-07-28 caller take input_required itself (SEP-2322)', async () => {
    const fs = upstream('fs', { modern: true });
    await router([fs]).dispatch(ctx({ params: { name: 'fs__read' }, session: { era: 'modern', transport: 'streamable-http' } }));
    expect(fs.calls[0]!.options.passInputRequired).toBe(true);
  });

  it('answers unknown tools, unknown servers and unrouted methods without calling an upstream', async () => {
    const fs = upstream('fs');
    const r = router([fs]);
    await expect(r.dispatch(ctx({ params: { name: 'nope__read' } }))).rejects.toMatchObject({ code: 'UNKNOWN_TOOL' });
    await expect(r.dispatch(ctx({ params: { name: 'read' }, method: 'prompts/get', scope: { kind: 'server', server: 'gone' } }))).rejects.toMatchObject({ code: 'UNKNOWN_SERVER' });
    await expect(r.dispatch(ctx({ method: 'ping/other' }))).rejects.toMatchObject({ code: 'METHOD_NOT_FOUND' });
    expect(fs.calls).toHaveLength(0);
  });

  it('says why a server that is down cannot list', async () => {
    const fs = upstream('fs', { state: 'backoff' });
    fs.lastError = 'exited with code 1';
    await expect(router([fs]).dispatch(ctx({ method: 'tools/list', scope: { kind: 'server', server: 'fs' } }))).rejects.toMatchObject({
      code: 'UPSTREAM_UNAVAILABLE',
      message: 'upstream "fs" is backoff: exited with code 1',
    });
  });

  it("routes a task's follow-ups to the server that created it, for the session that created it only", async () => {
    const fs = upstream('fs', {
      capabilities: { tasks: { requests: { tools: { call: {} } } } },
      answer: (request) => (request.method === 'tools/call' ? { task: { taskId: 't1', status: 'working' } } : { taskId: 't1', status: 'completed' }),
    });
    const mem = upstream('mem');
    const r = router([fs, mem]);
    await r.dispatch(ctx({ params: { name: 'fs__read', task: { ttl: 60_000 } }, channel: channel('s1') }));
    expect(fs.calls[0]!.params).toMatchObject({ name: 'read', task: { ttl: 60_000 } });
    await expect(r.dispatch(ctx({ method: 'tasks/get', params: { taskId: 't1' }, channel: channel('s1') }))).resolves.toMatchObject({ status: 'completed' });
    expect(fs.calls.map((c) => c.method)).toEqual(['tools/call', 'tasks/get']);
    await expect(r.dispatch(ctx({ method: 'tasks/get', params: { taskId: 't1' }, channel: channel('s2') }))).rejects.toMatchObject({ code: 'INVALID_PARAMS' });
    expect(mem.calls).toHaveLength(0);
  });

  it('drops `task` for an upstream without tasks and runs the call to completion', async () => {
    const fs = upstream('fs');
    await router([fs]).dispatch(ctx({ params: { name: 'fs__read', task: {} }, channel: channel('s1') }));
    expect(fs.calls[0]!.params).toEqual({ name: 'read' });
  });
});
