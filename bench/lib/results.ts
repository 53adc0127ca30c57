// Shapes of the results file and the within-round ratios.
import type { ConfigId } from './configs.js';
import type { LatencySummary } from './stats.js';
import { median } from './stats.js';

export interface PhaseSummary extends LatencySummary {
  errors: number;
  firstError?: string;
  truncated: boolean;
}

export interface ThroughputSummary {
  inflight: number;
  calls: number;
  errors: number;
  firstError?: string;
  elapsedMs: number;
  callsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  truncated: boolean;
}

export interface ConfigRun {
  id: ConfigId;
  label: string;
  round: number;
  /** Position within the round (configurations are rotated between rounds). */
  position: number;
  status: 'ok' | 'failed' | 'unavailable' | 'skipped';
  reason?: string;
  info?: Record<string, string>;
  startupMs?: number;
  /** RSS `settleMs` after start (start-up garbage still in the heap). */
  startRssMb?: number;
  /** RSS after a further `idleMs` idle (the steady state of an idle gateway). */
  idleRssMb?: number;
  peakRssMb?: number;
  hwmMb?: number;
  rssSamples?: number;
  warmup?: { calls: number; errors: number };
  sequential?: PhaseSummary;
  throughput?: ThroughputSummary[];
  cpu?: {
    calls: number;
    wallMs: number;
    /** the charged process alone (the gateway; for a and b the server) */
    processUsPerCall: number;
    /** the charged process and its descendants (the gateway with its upstream server) */
    treeUsPerCall: number;
    /** this harness's own CPU (the load client) */
    clientUsPerCall: number;
    processSeconds: number;
    treeSeconds: number;
    /** the whole machine's CPU busy share during the throughput phases (100 = both cores) */
    machineBusyPct: number;
    /** the part of it used by processes outside this benchmark (other engineers' tests) */
    othersBusyPct: number;
  };
  sdk?: PhaseSummary;
  cold?: { samplesMs: number[]; medianMs: number; errors: number; firstError?: string };
  totalErrors?: number;
}

export interface RoundRatios {
  round: number;
  /** c p50 / b p50 (sequential, lean client) */
  cOverBP50?: number;
  /** c throughput / b throughput at each in-flight level */
  cOverBThroughput: Record<string, number>;
  /** c throughput / max(e, f) throughput at each in-flight level */
  cOverBestPeerThroughput: Record<string, number>;
  /** c p99 / e p99 and c p99 / f p99 (sequential, lean client) */
  cOverEP99?: number;
  cOverFP99?: number;
  /** c gateway CPU per call / b server CPU per call */
  cOverBCpu?: number;
  /** the same for c' (resumable) */
  c2OverBP50?: number;
  c2OverBThroughput: Record<string, number>;
  c2OverBCpu?: number;
}

function ok(runs: ConfigRun[], id: ConfigId): ConfigRun | undefined {
  return runs.find((r) => r.id === id && r.status === 'ok');
}

function thr(run: ConfigRun | undefined, inflight: number): number | undefined {
  return run?.throughput?.find((t) => t.inflight === inflight)?.callsPerSec;
}

function div(a: number | undefined, b: number | undefined): number | undefined {
  return a !== undefined && b !== undefined && b > 0 && Number.isFinite(a) && Number.isFinite(b) ? a / b : undefined;
}

export function roundRatios(round: number, runs: ConfigRun[], inflights: number[]): RoundRatios {
  const b = ok(runs, 'b');
  const c = ok(runs, 'c');
  const c2 = ok(runs, "c'");
  const e = ok(runs, 'e');
  const f = ok(runs, 'f');
  const out: RoundRatios = { round, cOverBThroughput: {}, cOverBestPeerThroughput: {}, c2OverBThroughput: {} };
  const set = <K extends keyof RoundRatios>(key: K, v: RoundRatios[K] | undefined) => {
    if (v !== undefined) out[key] = v;
  };
  set('cOverBP50', div(c?.sequential?.p50Ms, b?.sequential?.p50Ms));
  set('c2OverBP50', div(c2?.sequential?.p50Ms, b?.sequential?.p50Ms));
  set('cOverEP99', div(c?.sequential?.p99Ms, e?.sequential?.p99Ms));
  set('cOverFP99', div(c?.sequential?.p99Ms, f?.sequential?.p99Ms));
  set('cOverBCpu', div(c?.cpu?.processUsPerCall, b?.cpu?.processUsPerCall));
  set('c2OverBCpu', div(c2?.cpu?.processUsPerCall, b?.cpu?.processUsPerCall));
  for (const n of inflights) {
    const r1 = div(thr(c, n), thr(b, n));
    if (r1 !== undefined) out.cOverBThroughput[n] = r1;
    const r2 = div(thr(c2, n), thr(b, n));
    if (r2 !== undefined) out.c2OverBThroughput[n] = r2;
    const peers = [thr(e, n), thr(f, n)].filter((v): v is number => v !== undefined);
    const r3 = peers.length > 0 ? div(thr(c, n), Math.max(...peers)) : undefined;
    if (r3 !== undefined) out.cOverBestPeerThroughput[n] = r3;
  }
  return out;
}

/** Median over rounds of every ratio. */
export function medianRatios(rounds: RoundRatios[], inflights: number[]): RoundRatios {
  const m = (pick: (r: RoundRatios) => number | undefined) => {
    const v = median(rounds.map(pick));
    return Number.isNaN(v) ? undefined : v;
  };
  const out: RoundRatios = { round: 0, cOverBThroughput: {}, cOverBestPeerThroughput: {}, c2OverBThroughput: {} };
  const assign = (key: 'cOverBP50' | 'c2OverBP50' | 'cOverEP99' | 'cOverFP99' | 'cOverBCpu' | 'c2OverBCpu') => {
    const v = m((r) => r[key]);
    if (v !== undefined) out[key] = v;
  };
  (['cOverBP50', 'c2OverBP50', 'cOverEP99', 'cOverFP99', 'cOverBCpu', 'c2OverBCpu'] as const).forEach(assign);
  for (const n of inflights) {
    for (const key of ['cOverBThroughput', 'cOverBestPeerThroughput', 'c2OverBThroughput'] as const) {
      const v = m((r) => r[key][n]);
      if (v !== undefined) out[key][n] = v;
    }
  }
  return out;
}

/** Per configuration, the median over rounds of each figure. */
export interface ConfigMedian {
  id: ConfigId;
  label: string;
  status: ConfigRun['status'];
  reason?: string;
  rounds: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  throughput: Record<string, number>;
  coldMs: number;
  processUsPerCall: number;
  treeUsPerCall: number;
  clientUsPerCall: number;
  startRssMb: number;
  idleRssMb: number;
  peakRssMb: number;
  sdkP50Ms: number;
  sdkP99Ms: number;
  othersBusyPct: number;
  errors: number;
}

export function medianPerConfig(runs: ConfigRun[], ids: ConfigId[], labels: Map<ConfigId, string>, inflights: number[]): ConfigMedian[] {
  return ids.map((id) => {
    const mine = runs.filter((r) => r.id === id);
    const good = mine.filter((r) => r.status === 'ok');
    const m = (pick: (r: ConfigRun) => number | undefined) => median(good.map(pick));
    const throughput: Record<string, number> = {};
    for (const n of inflights) throughput[n] = m((r) => r.throughput?.find((t) => t.inflight === n)?.callsPerSec);
    const status = good.length > 0 ? 'ok' : (mine[0]?.status ?? 'skipped');
    const reason = good.length > 0 ? undefined : mine.find((r) => r.reason)?.reason;
    return {
      id,
      label: labels.get(id) ?? id,
      status,
      ...(reason ? { reason } : {}),
      rounds: good.length,
      p50Ms: m((r) => r.sequential?.p50Ms),
      p95Ms: m((r) => r.sequential?.p95Ms),
      p99Ms: m((r) => r.sequential?.p99Ms),
      throughput,
      coldMs: m((r) => r.cold?.medianMs),
      processUsPerCall: m((r) => r.cpu?.processUsPerCall),
      treeUsPerCall: m((r) => r.cpu?.treeUsPerCall),
      clientUsPerCall: m((r) => r.cpu?.clientUsPerCall),
      startRssMb: m((r) => r.startRssMb),
      idleRssMb: m((r) => r.idleRssMb),
      peakRssMb: m((r) => r.peakRssMb),
      sdkP50Ms: m((r) => r.sdk?.p50Ms),
      sdkP99Ms: m((r) => r.sdk?.p99Ms),
      othersBusyPct: m((r) => r.cpu?.othersBusyPct),
      errors: mine.reduce((s, r) => s + (r.totalErrors ?? 0), 0),
    };
  });
}
