import { describe, expect, it } from 'vitest';
import { eventually } from '../helpers/outlet.js';
import { suiteGateway } from '../helpers/suite-gateway.js';
import { tinyServer } from '../helpers/tool-fixtures.js';
import { callTool, healthyAnswers, hostileEntry, processesWith, readyOf, uniqueMarker, zombieChildren } from './helpers.js';

// Health probes find a server that is alive but stuck, and call limits come from each entry's
// `calls` block: per-tool idle timeouts and hard caps, concurrency with a bounded queue.
const markers = { frozen: uniqueMarker('freeze'), timed: uniqueMarker('timed'), narrow: uniqueMarker('narrow') };

const suite = suiteGateway(
  {
    servers: {
      healthy: tinyServer(),
      frozen: hostileEntry('misbehave.mjs', markers.frozen, { health: { intervalMs: 100, timeoutMs: 200, failures: 2 } }),
      timed: hostileEntry('misbehave.mjs', markers.timed, { timeoutMs: 30_000, calls: { tools: { 'sl*': { timeoutMs: 300 } }, maxMs: 60_000 } }),
      narrow: hostileEntry('misbehave.mjs', markers.narrow, { calls: { maxConcurrent: 1, maxQueued: 1 } }),
    },
  },
  { ready: true, client: { era: 'legacy' } },
);

describe('a server that freezes (alive, answering nothing)', () => {
  it('is found by the health probe, killed and restarted, while the healthy one keeps serving', async () => {
    const [before] = processesWith(markers.frozen);
    expect(before).toBeDefined();
    const answer = await callTool(suite.client, 'frozen__freeze', { afterMs: 20 });
    expect(answer.result?.isError).toBeFalsy();
    const up = await eventually(async () => {
      const status = await readyOf(suite.gw.fetch, 'frozen');
      return status?.state === 'connected' && status.restarts >= 1 ? status : undefined;
    }, 20_000);
    expect(up!.restarts).toBeGreaterThanOrEqual(1);
    expect(await healthyAnswers(suite.client)).toBe(true);
    // The stuck process is gone (its whole group), a fresh one serves, nothing left unreaped.
    expect(await eventually(() => !processesWith(markers.frozen).includes(before!), 5000)).toBe(true);
    const again = await callTool(suite.client, 'frozen__slow', { ms: 1 });
    expect(again.result?.isError).toBeFalsy();
    expect(zombieChildren()).toEqual([]);
  });
});

describe('per-tool timeouts from the calls block', () => {
  it('a tool matching a per-tool idle timeout fails with UPSTREAM_TIMEOUT at that timeout, not the entry\'s', async () => {
    const outcome = await callTool(suite.client, 'timed__slow', { ms: 5000 });
    expect(outcome.error?.data).toMatchObject({ outletCode: 'UPSTREAM_TIMEOUT' });
  });

  it('other tools keep the entry\'s timeout', async () => {
    const outcome = await callTool(suite.client, 'timed__garbage', { lines: 0 });
    expect(outcome.result?.isError).toBeFalsy();
  });
});

describe('a concurrency limit of 1 with a queue of 1', () => {
  it('answers the third call at once with GATEWAY_BUSY while two wait or run', async () => {
    const first = callTool(suite.client, 'narrow__slow', { ms: 1500 });
    const second = callTool(suite.client, 'narrow__slow', { ms: 10 });
    // Both are inside the gateway (in-flight gauge), then a moment to reach the limiter behind the chain.
    await eventually(async () => /^outlet_requests_in_flight 2$/m.test(await suite.gateway.observability.metricsText()), 10_000);
    await new Promise((r) => setTimeout(r, 100));
    const third = await callTool(suite.client, 'narrow__slow', { ms: 10 });
    expect(third.error?.data).toMatchObject({ outletCode: 'GATEWAY_BUSY' });
    expect((await first).result?.isError).toBeFalsy();
    expect((await second).result?.isError).toBeFalsy();
  });
});
