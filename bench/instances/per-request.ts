// Benchmark of the per-request instance mode (run: npx tsx bench/instances/per-request.ts
// [--backend bubblewrap|none] [--spares N] [--calls N] [--rates 1,2,4] [--warmup]):
//   1. the latency per-request mode adds over shared mode, with the warm pool, at rates it sustains;
//   2. the highest rate it sustains (steady-state p90 within 20 ms of shared, no errors), and
//      what happens past it (calls wait for the next fresh process, then fail with GATEWAY_BUSY);
//   3. what part of the added latency is the server's own: its first call in a fresh process,
//      measured over raw pipes with no gateway (median of 20);
//   4. the spawn cost of the bubblewrap backend against a plain spawn (median of 20).
// Prints one JSON report. Wall-clock figures: read them with the machine load printed beside them.
import { loadavg, cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { atRate, backToBack, instances, startGateway, waitFor } from './harness.js';
import { measureFirstCall } from './first-call.js';
import { measureSpawnCost } from './spawn-cost.js';
import { median, round, summarize, type Summary } from './stats.js';

const { values } = parseArgs({
  options: {
    backend: { type: 'string', default: 'bubblewrap' },
    spares: { type: 'string', default: '2' },
    calls: { type: 'string', default: '60' },
    rates: { type: 'string', default: '1,2,3,4,6,8' },
    'skip-spawn': { type: 'boolean', default: false },
    // Send one echo call to each fresh process before it joins the spares (instances.warmup).
    warmup: { type: 'boolean', default: false },
  },
});
const backend = values.backend === 'none' ? 'none' : 'bubblewrap';
const spares = Number(values.spares);
const calls = Number(values.calls);
const rates = values.rates.split(',').map(Number);
const load = (): number[] => loadavg().map((l) => round(l));
const log = (msg: string): void => console.error(`[bench] ${msg}`);

interface RateRow {
  perSecond: number;
  load: number[];
  /** Steady state: the first 2 x spares calls, served by the pool as it stood, are left out. */
  steady: Summary;
  sustained: boolean;
  firstError?: string;
}

const report: Record<string, unknown> = { machine: { cpus: cpus().length, model: cpus()[0]?.model, loadAtStart: load() }, backend, spares, callsPerRate: calls };

// Shared mode: back to back, and at the lowest rate (the same pacing as the per-request runs).
log('shared mode');
const shared = await startGateway({ mode: 'shared' }, backend);
await backToBack(shared.client, 50);
const sharedBackToBack = summarize(await backToBack(shared.client, 300));
const sharedPaced = summarize((await atRate(shared.client, rates[0]!, calls)).latencies);
await shared.close();
report.shared = { backToBack: sharedBackToBack, [`at${rates[0]}PerSecond`]: sharedPaced, load: load() };

// Per-request mode: a cold start per call with no spares (what the pool hides), then the sweep.
log('per-request, no spares (cold start per call)');
const cold = await startGateway({ mode: 'per-request', spares: 0 }, backend);
report.coldStartPerCall = summarize(await backToBack(cold.client, 10));
await cold.close();

log(`per-request, ${spares} spares`);
const warmup = values.warmup ? { warmup: [{ method: 'tools/call', params: { name: 'echo', arguments: { text: 'warm-up' } } }] } : {};
report.warmup = values.warmup;
const warm = await startGateway({ mode: 'per-request', spares, acquireTimeoutMs: 10_000, ...warmup }, backend);
const sweep: RateRow[] = [];
for (const perSecond of rates) {
  await waitFor(async () => (await instances(warm.url)).spares === spares);
  const run = await atRate(warm.client, perSecond, calls);
  const steady = summarize(run.latencies.slice(2 * spares), run.errors.length);
  const sustained = run.errors.length === 0 && steady.p90 <= sharedPaced.p90 + 20;
  sweep.push({ perSecond, load: load(), steady, sustained, ...(run.errors[0] ? { firstError: run.errors[0] } : {}) });
  log(`${perSecond}/s: p50 ${steady.p50} ms, p90 ${steady.p90} ms, errors ${run.errors.length}`);
}
const served = (await instances(warm.url)).served;
await warm.close();
const highest = [...sweep].reverse().find((r) => r.sustained);
const added = sweep.filter((r) => r.sustained).map((r) => r.steady.p50 - sharedPaced.p50);

// Past the highest sustained rate, with a short acquireTimeoutMs: calls queue for fresh processes, then fail.
const overloadRate = 3 * (highest?.perSecond ?? rates[0]!);
log(`overload: ${overloadRate}/s with acquireTimeoutMs 1000`);
const busy = await startGateway({ mode: 'per-request', spares, acquireTimeoutMs: 1000 }, backend);
await waitFor(async () => (await instances(busy.url)).spares === spares);
const overload = await atRate(busy.client, overloadRate, calls);
await busy.close();
report.overload = { perSecond: overloadRate, acquireTimeoutMs: 1000, served: summarize(overload.latencies), failed: overload.errors.length, ...(overload.errors[0] ? { firstError: overload.errors[0] } : {}) };

log('first call in a fresh process, no gateway');
const firstCall = await measureFirstCall(20);
report.serverFirstCall = firstCall;
report.perRequest = {
  sweep,
  servedInstances: served,
  highestSustainedPerSecond: highest?.perSecond ?? null,
  /** Median over the sustained rates of (per-request p50 - shared p50 at the lowest rate). */
  addedP50Ms: round(median(added)),
  /** What is left of it once the server's own first-call cost in a fresh process is taken out. */
  gatewayShareOfAddedP50Ms: round(median(added) - firstCall.excessMs),
};

if (!values['skip-spawn']) {
  log('spawn cost, median of 20');
  report.spawnCost = { ...(await measureSpawnCost(20)), load: load() };
}
report.loadAtEnd = load();
console.log(JSON.stringify(report, null, 2));
