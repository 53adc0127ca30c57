import { describe, expect, it } from 'vitest';
import { FLOOD_FACTOR, FLOOD_WINDOWS } from '../../src/sandbox/output-rate.js';
import { eventually } from '../helpers/outlet.js';
import { suiteGateway } from '../helpers/suite-gateway.js';
import { tinyServer } from '../helpers/tool-fixtures.js';
import { callTool, healthyAnswers, hostileEntry, processesWith, readyOf, uniqueMarker, zombieChildren } from './helpers.js';

// A server that floods stderr, held to 4 KiB/s of console output: a burst is cut down to the rate
// with a marker line, an endless flood is killed, and the gateway's memory stays bounded.
const RATE = 4096;
const marker = uniqueMarker('flood');

interface LogLine {
  stream: string;
  line: string;
}
const logsOf = async (server: string): Promise<LogLine[]> => ((await (await suite.gw.fetch(`/api/servers/${server}/logs`)).json()) as { lines: LogLine[] }).lines;

const suite = suiteGateway(
  {
    servers: {
      healthy: tinyServer(),
      flooder: hostileEntry('misbehave.mjs', marker, { sandbox: { limits: { outputBytesPerSecond: RATE } } }),
    },
  },
  { ready: true, client: { era: 'legacy' } },
);

describe('a server that bursts past its output rate', () => {
  it('keeps about one second\'s worth of lines, marks the cut once, and is not killed', async () => {
    const outcome = await callTool(suite.client, 'flooder__flood', { bytes: 200_000, lineBytes: 100 });
    expect(outcome.result?.content?.[0]?.text).toBe(JSON.stringify({ ok: true, written: 200_000 }));
    const lines = (await logsOf('flooder')).filter((l) => l.stream === 'stderr');
    const kept = lines.filter((l) => /^x+$/.test(l.line));
    const markers = lines.filter((l) => l.line.startsWith('[mcp-outlet] output over 4096 B/s'));
    // 2000 lines were written in well under a second or two: one or two windows' worth pass.
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.length).toBeLessThanOrEqual((2 * RATE) / 100);
    expect(markers.length).toBeGreaterThanOrEqual(1);
    expect(markers.length).toBeLessThanOrEqual(2);
    const status = await readyOf(suite.gw.fetch, 'flooder');
    expect(status).toMatchObject({ state: 'connected', restarts: 0, killedForLimit: { output: 0 } });
    expect(status?.sandbox?.notEnforced.join('\n')).toMatch(/output 4096 B\/s: left to the transport/);
    expect(await healthyAnswers(suite.client)).toBe(true);
  });
});

describe('a server that floods without end', () => {
  it(`is killed after ${FLOOD_WINDOWS} one-second windows above ${FLOOD_FACTOR}x the rate; the caller learns why, the neighbour keeps answering`, async () => {
    const rssBefore = process.memoryUsage().rss;
    const flood = callTool(suite.client, 'flooder__flood', { lineBytes: 1000 });
    await new Promise((r) => setTimeout(r, 1000));
    expect(await healthyAnswers(suite.client)).toBe(true);
    const outcome = await flood;
    expect(outcome.error?.code).toBe(-32011);
    expect(outcome.error?.message).toMatch(/^upstream "flooder" was killed for flooding its console: console output above 10 x 4096 B\/s in 3 one-second windows in a row/);
    // The console ring keeps at most 1000 lines of at most 4 KiB: bounded whatever was written.
    expect((await logsOf('flooder')).length).toBeLessThanOrEqual(1000);
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(200 * 1024 * 1024);
    const status = await eventually(async () => {
      const s = await readyOf(suite.gw.fetch, 'flooder');
      return s?.state === 'connected' && s.restarts >= 1 ? s : undefined;
    });
    expect(status!.killedForLimit).toMatchObject({ output: 1 });
    expect(await healthyAnswers(suite.client)).toBe(true);
    expect((await callTool(suite.client, 'flooder__garbage', { lines: 0 })).result?.isError).toBeFalsy();
  });

  it('leaves no process behind once the gateway closes', async () => {
    await suite.gw.close();
    expect(await eventually(() => processesWith(marker).length === 0, 5000)).toBe(true);
    expect(zombieChildren()).toEqual([]);
  });
});
