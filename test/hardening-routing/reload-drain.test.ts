import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/index.js';
import { testGateway, type TestGateway } from '../helpers/gateway.js';
import { eventually } from '../helpers/outlet.js';
import { firstJson, ROUTING_SERVER, rpc } from './helpers.js';

// A reload that changes or removes a server retires its old instance: calls already in flight
// there finish with their results (up to upstream.drainTimeoutMs), new calls go to the new entry.
const entry = (tag: string) => ({ command: process.execPath, args: [ROUTING_SERVER], env: { ROUTING_TAG: tag } });
const start = (raw: Record<string, unknown>): Promise<TestGateway> => testGateway(raw, { ready: true });

/** Starts a slow call and resolves once the old instance holds it (wrapped: awaiting a bare promise would wait for the answer). */
async function slowCallInFlight(o: TestGateway, ms: number): Promise<{ call: ReturnType<typeof rpc> }> {
  const old = o.gateway.supervisor.get('rt')!;
  const call = rpc(o.fetch, 'tools/call', { name: 'rt__wait', arguments: { ms } });
  // The fixture says so on stderr once the call has reached it.
  await eventually(() => old.console.tail(20).some((l) => l.line === `wait: started ${ms}`));
  return { call };
}

describe('a reload while a call is in flight', () => {
  it('lets the call finish on the old instance when the server changes; new calls reach the new one', async () => {
    await using o = await start({ servers: { rt: entry('v1') } });
    const { call } = await slowCallInFlight(o, 1500);
    const result = await o.gateway.reload(parseConfig({ servers: { rt: entry('v2') } }, { baseDir: process.cwd() }));
    expect(result.changed).toEqual(['rt']);
    const answered = await call;
    expect(answered.body.error).toBeUndefined();
    expect(firstJson(answered.body.result)).toMatchObject({ tool: 'wait', tag: 'v1' });
    const next = await eventually(async () => {
      const r = await rpc(o.fetch, 'tools/call', { name: 'rt__echo', arguments: {} });
      return r.body.result ? r : undefined;
    });
    expect(firstJson(next!.body.result)).toMatchObject({ tag: 'v2' });
  });

  it('lets the call finish when the server is removed', async () => {
    await using o = await start({ servers: { rt: entry('v1'), other: entry('o') } });
    const { call } = await slowCallInFlight(o, 1500);
    const result = await o.gateway.reload(parseConfig({ servers: { other: entry('o') } }, { baseDir: process.cwd() }));
    expect(result.removed).toEqual(['rt']);
    expect(firstJson((await call).body.result)).toMatchObject({ tool: 'wait', tag: 'v1' });
    expect((await rpc(o.fetch, 'tools/call', { name: 'rt__echo', arguments: {} })).body.error?.data?.outletCode).toBe('UNKNOWN_TOOL');
  });

  it('cuts a call still running when upstream.drainTimeoutMs runs out', async () => {
    await using o = await start({ upstream: { drainTimeoutMs: 100 }, servers: { rt: entry('v1') } });
    const { call } = await slowCallInFlight(o, 20_000);
    await o.gateway.reload(parseConfig({ upstream: { drainTimeoutMs: 100 }, servers: { rt: entry('v2') } }, { baseDir: process.cwd() }));
    const answered = await call;
    expect(answered.body.error?.data?.outletCode).toBe('UPSTREAM_CLOSED');
  });
});
