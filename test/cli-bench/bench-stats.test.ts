import { describe, expect, it } from 'vitest';
import { histogram, logBucketEdges, percentile, sharedEdges, summarizeLatencies, summarizeTarget } from '../../src/cli/bench/bench-stats.js';
import type { CallRecord, TargetRun } from '../../src/cli/bench/bench-types.js';
import { splitEvenly } from '../../src/cli/bench/load-runner.js';

const ascending = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe('percentile (nearest rank)', () => {
  it('gives the textbook values on 1..100', () => {
    const v = ascending(100);
    expect([percentile(v, 50), percentile(v, 95), percentile(v, 99), percentile(v, 100)]).toEqual([50, 95, 99, 100]);
    expect(percentile(v, 0)).toBe(1);
  });

  it('always returns a measured value, never an interpolation', () => {
    expect(percentile([10, 20, 30, 40], 50)).toBe(20);
    expect(percentile([10, 20, 30, 40], 51)).toBe(30);
    expect(percentile([10, 20, 30, 40], 99)).toBe(40);
    expect(percentile([7], 95)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });

  it('summarizes unsorted samples; the median is p50', () => {
    const s = summarizeLatencies([9, 1, 5, 3, 7, 2, 8, 4, 6, 10])!;
    expect(s).toEqual({ count: 10, mean: 5.5, median: 5, p95: 10, p99: 10, min: 1, max: 10 });
    expect(summarizeLatencies([])).toBeNull();
  });

  it('keeps min <= p50 <= p95 <= p99 <= max on skewed data', () => {
    const skewed = [...Array.from({ length: 990 }, (_, i) => 1 + (i % 7) * 0.1), ...Array.from({ length: 10 }, (_, i) => 200 + i)];
    const s = summarizeLatencies(skewed)!;
    expect(s.min).toBeLessThanOrEqual(s.median);
    expect(s.median).toBeLessThanOrEqual(s.p95);
    expect(s.p95).toBeLessThanOrEqual(s.p99);
    expect(s.p99).toBeLessThanOrEqual(s.max);
    expect(s.p99).toBeLessThan(200); // 1% of 1000 samples: the outliers start just above p99
    expect(s.max).toBe(209);
  });
});

describe('log buckets', () => {
  it('walks the 1-1.5-2-3-5-7 series from at or below min to strictly above max', () => {
    expect(logBucketEdges(0.8, 12)).toEqual([0.7, 1, 1.5, 2, 3, 5, 7, 10, 15]);
    expect(logBucketEdges(1, 1)).toEqual([1, 1.5]);
    expect(logBucketEdges(0.031, 0.049)).toEqual([0.03, 0.05]);
    expect(logBucketEdges(1000, 1000)).toEqual([1000, 1500]);
    expect(logBucketEdges(Infinity, -Infinity)).toEqual([]);
  });

  it('counts every value exactly once, lower edge inclusive', () => {
    const edges = [1, 1.5, 2, 3];
    expect(histogram([1, 1.2, 1.5, 2, 2.9, 0.5], edges)).toEqual([3, 1, 2]);
    const values = Array.from({ length: 500 }, (_, i) => 0.2 + i * 0.37);
    const counts = histogram(values, logBucketEdges(Math.min(...values), Math.max(...values)));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(500);
  });
});

describe('per-target summary', () => {
  const ok = (ms: number): CallRecord => ({ latencyMs: ms, outcome: { ok: true } });
  const rpc = (ms: number): CallRecord => ({
    latencyMs: ms,
    outcome: { ok: false, error: { kind: 'rpc', label: 'JSON-RPC -32602 UNKNOWN_TOOL', rpcCode: -32602, outletCode: 'UNKNOWN_TOOL' }, message: 'Unknown tool "x"' },
  });
  const tool = (ms: number): CallRecord => ({ latencyMs: ms, outcome: { ok: false, error: { kind: 'tool', label: 'tool error (isError)' }, message: 'nope' } });
  const target = { name: 't', url: new URL('http://127.0.0.1:1/mcp'), displayUrl: 'http://127.0.0.1:1/mcp' };

  it('counts outcomes, keeps latency to successful calls, and derives throughput from the timed phase', () => {
    const run: TargetRun = { target, calls: [ok(2), ok(4), rpc(0.1), rpc(0.2), tool(3), ok(6)], timedMs: 600, connectMs: 5, firstResultMs: 7, protocolVersion: '2025-11-25' };
    const edges = sharedEdges([run]);
    const s = summarizeTarget(run, 6, edges);
    expect([s.requests, s.ok, s.toolErrors, s.errors]).toEqual([6, 3, 1, 2]);
    expect(s.successRate).toBe(0.5);
    expect(s.latencyMs).toMatchObject({ count: 3, min: 2, median: 4, max: 6 });
    expect(s.throughputPerSec).toBeCloseTo(10);
    expect(s.histogram.reduce((a, b) => a + b, 0)).toBe(3);
    expect(s.errorBreakdown).toEqual([
      { kind: 'rpc', label: 'JSON-RPC -32602 UNKNOWN_TOOL', rpcCode: -32602, outletCode: 'UNKNOWN_TOOL', count: 2, example: 'Unknown tool "x"' },
      { kind: 'tool', label: 'tool error (isError)', count: 1, example: 'nope' },
    ]);
  });

  it('reports a target that never connected as every planned request failed, with the reason', () => {
    const run: TargetRun = { target, calls: [], timedMs: 0, connectFailure: { error: { kind: 'transport', label: 'transport ECONNREFUSED' }, message: 'fetch failed' } };
    const s = summarizeTarget(run, 25, []);
    expect([s.requests, s.ok, s.errors, s.successRate]).toEqual([25, 0, 25, 0]);
    expect(s.latencyMs).toBeNull();
    expect(s.throughputPerSec).toBeNull();
    expect(s.errorBreakdown).toEqual([{ kind: 'transport', label: 'transport ECONNREFUSED', count: 25, example: 'fetch failed' }]);
  });
});

describe('rounds', () => {
  it('splits N as evenly as integers allow', () => {
    expect(splitEvenly(10, 3)).toEqual([4, 3, 3]);
    expect(splitEvenly(5, 5)).toEqual([1, 1, 1, 1, 1]);
    expect(splitEvenly(7, 1)).toEqual([7]);
  });
});
