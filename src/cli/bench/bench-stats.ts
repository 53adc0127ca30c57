import type { ErrorBucket, ErrorClass, LatencySummary, TargetRun, TargetStats } from './bench-types.js';

/**
 * Nearest-rank percentile of an ascending array: always one of the measured values, never an
 * interpolation between two, so "p99 = 12 ms" means some call really took 12 ms. NaN when empty.
 */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

/** Null for no samples: the renderers print a dash rather than NaN. The median is p50 by the same rule. */
export function summarizeLatencies(values: readonly number[]): LatencySummary | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const sum = sorted.reduce((acc, v) => acc + v, 0);
  return {
    count: sorted.length,
    mean: sum / sorted.length,
    median: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    min: sorted[0]!,
    max: sorted[sorted.length - 1]!,
  };
}

// Six steps a decade, close to evenly spaced on a log scale yet with labels a person reads at a glance.
const MANTISSAS = [1, 1.5, 2, 3, 5, 7] as const;

/** The step of the 1-1.5-2-3-5-7 series at index i (i may be negative: 0.7, 0.5, ...). */
function step(i: number): number {
  const decade = Math.floor(i / MANTISSAS.length);
  const m = MANTISSAS[i - decade * MANTISSAS.length]!;
  // Rounding keeps 0.1 * 3 from printing as 0.30000000000000004.
  return Number((m * 10 ** decade).toPrecision(6));
}

/**
 * Log-spaced bucket edges covering [min, max]: the first edge is at or below min, the last strictly
 * above max, so every sample falls in a bucket. Latencies span orders of magnitude (a 1 ms local
 * call against a 300 ms cold Lambda), which linear buckets would squash into one bar.
 */
export function logBucketEdges(min: number, max: number): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [];
  const low = Math.max(min, 0.001);
  let i = Math.floor(Math.log10(low)) * MANTISSAS.length;
  while (step(i + 1) <= low) i++;
  const edges = [step(i)];
  while (edges[edges.length - 1]! <= max) edges.push(step(++i));
  return edges;
}

/** Counts per bucket [edges[k], edges[k+1]); values below the first edge go in the first bucket. */
export function histogram(values: readonly number[], edges: readonly number[]): number[] {
  const counts = new Array<number>(Math.max(0, edges.length - 1)).fill(0);
  if (counts.length === 0) return counts;
  for (const v of values) {
    let k = 0;
    while (k < counts.length - 1 && v >= edges[k + 1]!) k++;
    counts[k]!++;
  }
  return counts;
}

/** Latencies of the successful calls: the only ones the latency figures and histograms describe. */
export function okLatencies(run: TargetRun): number[] {
  return run.calls.filter((c) => c.outcome.ok).map((c) => c.latencyMs);
}

/** Bucket edges shared by all targets, so their histograms can be laid next to each other. */
export function sharedEdges(runs: readonly TargetRun[]): number[] {
  let min = Infinity;
  let max = -Infinity;
  for (const run of runs) {
    for (const v of okLatencies(run)) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  return logBucketEdges(min, max);
}

export function summarizeTarget(run: TargetRun, plannedRequests: number, edges: readonly number[]): TargetStats {
  const latencies = okLatencies(run);
  const buckets = new Map<string, ErrorBucket>();
  const count = (error: ErrorClass, message: string, n: number) => {
    const bucket = buckets.get(error.label);
    if (bucket) bucket.count += n;
    else buckets.set(error.label, { ...error, count: n, example: message });
  };
  let toolErrors = 0;
  for (const call of run.calls) {
    if (call.outcome.ok) continue;
    if (call.outcome.error.kind === 'tool') toolErrors++;
    count(call.outcome.error, call.outcome.message, 1);
  }
  // A target that never connected made no calls; its planned requests all failed for that one reason.
  const requests = run.connectFailure ? plannedRequests : run.calls.length;
  if (run.connectFailure) count(run.connectFailure.error, run.connectFailure.message, plannedRequests - run.calls.length);
  const ok = latencies.length;
  return {
    name: run.target.name,
    url: run.target.displayUrl,
    protocolVersion: run.protocolVersion ?? null,
    connectMs: run.connectMs ?? null,
    firstResultMs: run.firstResultMs ?? null,
    requests,
    ok,
    toolErrors,
    errors: requests - ok - toolErrors,
    successRate: requests === 0 ? 0 : ok / requests,
    latencyMs: summarizeLatencies(latencies),
    throughputPerSec: run.calls.length > 0 && run.timedMs > 0 ? (run.calls.length / run.timedMs) * 1000 : null,
    errorBreakdown: [...buckets.values()].sort((a, b) => b.count - a.count),
    histogram: histogram(latencies, edges),
  };
}
