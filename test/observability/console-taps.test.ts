import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/index.js';
import { closeObservedWithClient, obsServers, randomHex, startObservedWithClient, traceparent, type Observed } from './helpers.js';

// Tracing subscribes to a server's console to put the lines it prints inside the span of the call.
// A server replaced by a reload, or removed, takes its console with it: tracing follows the new
// one and lets go of the old, which would otherwise stay in memory (up to a thousand lines) for as
// long as the gateway runs; `/rpc` inline servers come and go all day.
let observed: Observed;
let client: Client;

beforeAll(async () => ({ observed, client } = await startObservedWithClient({})));
afterAll(() => closeObservedWithClient(observed, client));

const fixture = obsServers().obs as Record<string, unknown> & { env: Record<string, string> };
const reload = (servers: Record<string, unknown>) => observed.outlet.gateway.reload(parseConfig({ servers }, { baseDir: process.cwd() }));
const consoleOf = (server: string) => observed.outlet.gateway.supervisor.get(server)!.console;

/** A traced call's upstream span's console lines. */
async function consoleLinesOfCall(tool: string): Promise<unknown[]> {
  const traceId = randomHex(16);
  await client.callTool({ name: tool, arguments: {}, _meta: { traceparent: traceparent(traceId, randomHex(8)) } });
  const upstream = observed.handle.getTrace(traceId)!.roots[0]!.children[0]!;
  return upstream.events.filter((e) => e.name === 'console').map((e) => e.attributes['console.line']);
}

describe('console subscriptions', () => {
  it('follow a server replaced by a reload to its new console, and let go of the old one and of a removed server\'s', async () => {
    const first = consoleOf('obs');
    expect(first.subscriberCount).toBe(0);
    expect(await consoleLinesOfCall('obs__echo_meta')).toEqual(['echo_meta: called']);
    expect(first.subscriberCount).toBe(1);

    // Same name, changed config: a new upstream with a console of its own.
    await reload({ obs: { ...fixture, env: { ...fixture.env, OBS_MODE: 'reloaded' } } });
    const second = consoleOf('obs');
    expect(second).not.toBe(first);
    expect(await consoleLinesOfCall('obs__echo_meta')).toEqual(['echo_meta: called']);
    expect(second.subscriberCount).toBe(1);
    expect(first.subscriberCount).toBe(0);

    // Removed, and another server called: the removed one's console is let go too.
    await reload({ other: fixture });
    expect(await consoleLinesOfCall('other__echo_meta')).toEqual(['echo_meta: called']);
    expect(consoleOf('other').subscriberCount).toBe(1);
    expect(second.subscriberCount).toBe(0);
  });

  it('are all let go when observability is closed', async () => {
    const source = consoleOf('other');
    expect(source.subscriberCount).toBe(1);
    await observed.handle.close();
    expect(source.subscriberCount).toBe(0);
  });
});
