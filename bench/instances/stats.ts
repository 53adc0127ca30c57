// Small statistics for the instance-mode benchmark (kept here: bench/lib belongs to another suite).

/** Percentile by nearest rank. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** Milliseconds from the monotonic clock. */
export function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

export const round = (n: number, digits = 2): number => Math.round(n * 10 ** digits) / 10 ** digits;

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}

export interface Summary {
  calls: number;
  errors: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export function summarize(latencies: readonly number[], errors = 0): Summary {
  return { calls: latencies.length + errors, errors, p50: round(percentile(latencies, 50)), p90: round(percentile(latencies, 90)), p99: round(percentile(latencies, 99)), max: round(percentile(latencies, 100)) };
}
