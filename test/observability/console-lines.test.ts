import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/index.js';
import { closeObservedWithClient, obsServers, randomHex, startObservedWithClient, traceparent, type Observed } from './helpers.js';

// Tracing puts the lines a server prints during a call inside the call's upstream span: it notes
// the console's mark when the span starts and reads the lines pushed since when it ends. It holds
// no subscription to any console, so a server replaced by a reload, or removed (`/rpc` inline
// servers come and go all day), leaves nothing of its console behind in the observer; an earlier
// design subscribed per server and kept replaced consoles (up to a thousand lines each) alive.
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

describe('console lines', () => {
  it('reach the span of the call that printed them, through a reload that replaces the server and one that removes it, with no subscription held', async () => {
    const first = consoleOf('obs');
    expect(await consoleLinesOfCall('obs__echo_meta')).toEqual(['echo_meta: called']);
    expect(first.subscriberCount).toBe(0);

    // Same name, changed config: a new upstream with a console of its own.
    await reload({ obs: { ...fixture, env: { ...fixture.env, OBS_MODE: 'reloaded' } } });
    const second = consoleOf('obs');
    expect(second).not.toBe(first);
    const before = second.mark;
    expect(await consoleLinesOfCall('obs__echo_meta')).toEqual(['echo_meta: called']);
    expect(second.mark).toBe(before + 1);
    expect(second.subscriberCount).toBe(0);

    // Removed, and another server called.
    await reload({ other: fixture });
    expect(await consoleLinesOfCall('other__echo_meta')).toEqual(['echo_meta: called']);
    expect(consoleOf('other').subscriberCount).toBe(0);
  });

  it('printed before a call are not its own', async () => {
    consoleOf('other').push('stderr', 'an earlier line');
    expect(await consoleLinesOfCall('other__echo_meta')).toEqual(['echo_meta: called']);
  });
});
