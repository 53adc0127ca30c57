import type { BenchReport } from './bench-types.js';

// Number formatting shared by the terminal table and the HTML report, so both say the same thing.

/** Milliseconds with precision that shrinks as the value grows: 0.412, 4.12, 41.2, 412. */
export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '-';
  if (ms < 1) return `${ms.toFixed(3)} ms`;
  if (ms < 10) return `${ms.toFixed(2)} ms`;
  if (ms < 100) return `${ms.toFixed(1)} ms`;
  return `${Math.round(ms)} ms`;
}

export function formatRate(perSec: number | null): string {
  if (perSec === null || !Number.isFinite(perSec)) return '-';
  return perSec >= 100 ? `${Math.round(perSec)}/s` : `${perSec.toFixed(1)}/s`;
}

export function formatPercent(rate: number): string {
  return `${(rate * 100).toFixed(rate === 1 || rate === 0 ? 0 : 1)}%`;
}

/** A bucket edge as a plain number: 0.15, 1.5, 300, 1000. */
export function formatEdge(ms: number): string {
  return String(Number(ms.toPrecision(3)));
}

export function bucketLabel(edges: readonly number[], k: number): string {
  return `${formatEdge(edges[k]!)}–${formatEdge(edges[k + 1]!)}`;
}

/** What was sent, in one line: the method, and for tools/call the tool and (abridged) arguments. */
export function describeRequest(p: BenchReport['parameters']): string {
  if (p.method === 'tools/list') return 'tools/list (no --tool given)';
  const args = JSON.stringify(p.args ?? {});
  return `tools/call ${p.tool} ${args.length > 60 ? `${args.slice(0, 59)}…` : args}`;
}

export function describeLoad(p: BenchReport['parameters']): string {
  const rounds = p.rounds > 1 ? `, ${p.rounds} interleaved rounds` : ', targets one after another';
  return `${p.requests} requests per target, ${p.concurrency} in flight, ${p.warmup} warm-up${rounds}, era ${p.era}, timeout ${p.timeoutMs} ms`;
}
