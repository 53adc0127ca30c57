// Shapes shared by the `outlet bench` modules: the validated plan, what the runner records, and
// the figures the renderers print. Kept apart so each module can be read and tested on its own.

export type BenchEra = '2025-11-25' | '2026-07-28' | 'auto';

export interface BenchTarget {
  name: string;
  url: URL;
  /** The URL as shown in reports: any user:password part is masked, since reports get shared. */
  displayUrl: string;
}

export interface BenchPlan {
  targets: BenchTarget[];
  /** Undefined means the bench lists tools (`tools/list`) instead of calling one. */
  tool?: string;
  args: Record<string, unknown>;
  requests: number;
  concurrency: number;
  warmup: number;
  /** 1: targets one after another; more: N split into slices, target order rotated each round. */
  rounds: number;
  era: BenchEra;
  timeoutMs: number;
  token?: string;
  reportPath?: string;
  jsonPath?: string;
}

/** Why a call did not succeed, coarse enough to count: one class per tool error / JSON-RPC code / transport cause. */
export interface ErrorClass {
  kind: 'tool' | 'rpc' | 'transport';
  /** The label errors are grouped by, e.g. `JSON-RPC -32602 UNKNOWN_TOOL` or `transport ECONNREFUSED`. */
  label: string;
  rpcCode?: number;
  outletCode?: string;
}

export type CallOutcome = { ok: true } | { ok: false; error: ErrorClass; message: string };

export interface CallRecord {
  latencyMs: number;
  outcome: CallOutcome;
}

/** Everything measured for one target, before any statistics. */
export interface TargetRun {
  target: BenchTarget;
  /** The protocol version the handshake settled on (undefined when it never connected). */
  protocolVersion?: string;
  connectMs?: number;
  /** Connect start to the first answered call: what a cold client waits before it gets anything. */
  firstResultMs?: number;
  /** Set when the target could not be reached; its planned calls all count as failed for this reason. */
  connectFailure?: { error: ErrorClass; message: string };
  calls: CallRecord[];
  /** Wall time of the timed slices only (warm-up and connect excluded). */
  timedMs: number;
}

export interface LatencySummary {
  count: number;
  mean: number;
  median: number;
  p95: number;
  p99: number;
  min: number;
  max: number;
}

export interface ErrorBucket {
  kind: ErrorClass['kind'];
  label: string;
  rpcCode?: number;
  outletCode?: string;
  count: number;
  example: string;
}

export interface TargetStats {
  name: string;
  url: string;
  protocolVersion: string | null;
  connectMs: number | null;
  firstResultMs: number | null;
  requests: number;
  ok: number;
  toolErrors: number;
  errors: number;
  /** 0..1 */
  successRate: number;
  /** Over successful calls only: a fast failure says nothing about how fast the endpoint answers. */
  latencyMs: LatencySummary | null;
  /** Calls of any outcome per second of the timed phase. */
  throughputPerSec: number | null;
  errorBreakdown: ErrorBucket[];
  /** Counts per bucket of the report's shared `histogramEdgesMs`. */
  histogram: number[];
}

export interface MachineInfo {
  os: string;
  arch: string;
  cpuModel: string;
  cpus: number;
  totalMemoryMb: number;
  node: string;
}

export interface BenchReport {
  generatedAt: string;
  parameters: {
    method: 'tools/call' | 'tools/list';
    tool: string | null;
    args: Record<string, unknown> | null;
    requests: number;
    concurrency: number;
    warmup: number;
    rounds: number;
    era: BenchEra;
    timeoutMs: number;
    authorization: boolean;
  };
  machine: MachineInfo;
  /** Log-spaced, shared by every target so their histograms line up. */
  histogramEdgesMs: number[];
  targets: TargetStats[];
}
