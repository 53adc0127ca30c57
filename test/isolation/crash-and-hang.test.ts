import { describe, expect, it } from 'vitest';
import { eventually } from '../helpers/outlet.js';
import { suiteGateway } from '../helpers/suite-gateway.js';
import { tinyServer } from '../helpers/tool-fixtures.js';
import { callTool, healthyAnswers, hostileEntry, processesWith, readyOf, uniqueMarker, zombieChildren } from './helpers.js';

// A server that dies in the middle of a call, one that never answers, and one that prints garbage,
// next to a healthy one, all behind one real gateway driven over Streamable HTTP.
const markers = { crasher: uniqueMarker('crash'), bare: uniqueMarker('crash-bare'), hanger: uniqueMarker('hang'), garbage: uniqueMarker('garbage') };

const suite = suiteGateway(
  {
    servers: {
      healthy: tinyServer(),
      crasher: hostileEntry('misbehave.mjs', markers.crasher),
      // The same crash with no sandbox: the process group alone must take the orphan down.
      bare: hostileEntry('misbehave.mjs', markers.bare, { sandbox: { backend: 'none' } }),
      hanger: hostileEntry('misbehave.mjs', markers.hanger, { timeoutMs: 500 }),
      garbage: hostileEntry('misbehave.mjs', markers.garbage),
    },
  },
  { ready: true, client: { era: 'legacy' } },
);

describe.each([
  ['crasher', 'sandboxed'],
  ['bare', 'unsandboxed'],
] as const)('a %s server (%s) that crashes mid-call', (server, _kind) => {
  it('answers the waiting caller with an error naming the exit, within a second', async () => {
    const [outcome, healthyMeanwhile] = await Promise.all([
      callTool(suite.client, `${server}__crash`, { afterMs: 300 }),
      new Promise((r) => setTimeout(r, 100)).then(() => healthyAnswers(suite.client)),
    ]);
    expect(healthyMeanwhile).toBe(true);
    expect(outcome.error?.code).toBe(-32011);
    expect(outcome.error?.message).toBe(`upstream "${server}" exited with code 1 before it answered`);
    expect(outcome.error?.data).toMatchObject({ outletCode: 'UPSTREAM_CLOSED' });
    // No wall-clock bound here (timings belong in bench/): UPSTREAM_CLOSED naming the exit, not
    // UPSTREAM_TIMEOUT after the 60 s default, is what shows the caller was not left waiting.
  });

  it('leaves no process behind: the child it started dies with it, and nothing is left unreaped', async () => {
    expect(await eventually(() => processesWith(`${markers[server]}-orphan`).length === 0, 3000)).toBe(true);
    expect(zombieChildren()).toEqual([]);
  });

  it('is restarted and serves again, while the healthy one never stopped', async () => {
    const up = await eventually(async () => {
      const status = await readyOf(suite.gw.fetch, server);
      return status?.state === 'connected' && status.restarts >= 1 ? status : undefined;
    });
    expect(up!.restarts).toBeGreaterThanOrEqual(1);
    const garbage = await callTool(suite.client, `${server}__garbage`, { lines: 1 });
    expect(garbage.result?.isError).toBeFalsy();
    expect(await healthyAnswers(suite.client)).toBe(true);
  });
});

describe('a server that crashes by a signal', () => {
  it('names the signal in the caller\'s error', async () => {
    const outcome = await callTool(suite.client, 'bare__crash', { afterMs: 50, signal: 'SIGSEGV' });
    expect(outcome.error?.code).toBe(-32011);
    expect(outcome.error?.message).toBe('upstream "bare" was killed by SIGSEGV before it answered');
    expect(await healthyAnswers(suite.client)).toBe(true);
  });
});

describe('a server that hangs', () => {
  it('times out with UPSTREAM_TIMEOUT at its own timeoutMs, and stays up for the next call', async () => {
    const [outcome, healthy] = await Promise.all([callTool(suite.client, 'hanger__hang'), healthyAnswers(suite.client)]);
    expect(healthy).toBe(true);
    expect(outcome.error?.code).toBe(-32012);
    expect(outcome.error?.message).toMatch(/upstream "hanger" did not answer in time/);
    expect((await readyOf(suite.gw.fetch, 'hanger'))?.state).toBe('connected');
    expect((await callTool(suite.client, 'hanger__garbage', { lines: 0 })).result?.isError).toBeFalsy();
  });
});

describe('a server that prints garbage on stdout', () => {
  it('keeps working, and the garbage lands in its logs, not in the protocol', async () => {
    const outcome = await callTool(suite.client, 'garbage__garbage', { lines: 50 });
    expect(outcome.result?.content?.[0]?.text).toBe(JSON.stringify({ ok: true, printed: 50 }));
    const logs = (await (await suite.gw.fetch('/api/servers/garbage/logs')).json()) as { lines: { stream: string; line: string }[] };
    expect(logs.lines).toContainEqual(expect.objectContaining({ stream: 'stdout', line: 'garbage 49 {not json' }));
    expect(logs.lines.some((l) => l.line.includes('"jsonrpc": "1.0"'))).toBe(true);
    expect(await healthyAnswers(suite.client)).toBe(true);
    expect((await readyOf(suite.gw.fetch, 'garbage'))?.restarts).toBe(0);
  });
});

describe('after the gateway closes', () => {
  it('no process of any of these servers is left, sandboxed or not', async () => {
    await suite.gw.close();
    for (const marker of Object.values(markers)) {
      expect(await eventually(() => processesWith(marker).length === 0, 5000), marker).toBe(true);
    }
    // A child is a zombie for a moment between its exit and Node reaping it: the promise is that
    // every one is reaped, not that none ever exists.
    expect(await eventually(() => zombieChildren().length === 0, 5000)).toBe(true);
  });
});
