import { performance } from 'node:perf_hooks';
import { Client, StreamableHTTPClientTransport, type ClientOptions } from '@modelcontextprotocol/client';
import type { BenchEra, BenchPlan, BenchTarget, CallOutcome, CallRecord, TargetRun } from './bench-types.js';
import { classifyError, classifyResult } from './classify-outcome.js';

/** What the runner reports as it goes; the progress display is one listener, tests can be another. */
export type BenchEvent =
  | { type: 'phase'; target: BenchTarget; phase: 'connect' | 'warmup' | 'timed'; round?: number }
  | { type: 'calls'; target: BenchTarget; count: number; failed: number }
  | { type: 'done'; run: TargetRun };

/** The same choice of era as the test helpers: 2025 offers one legacy version, 2026 pins, auto probes. */
function eraOptions(era: BenchEra): ClientOptions {
  if (era === '2026-07-28') return { versionNegotiation: { mode: { pin: '2026-07-28' } } };
  if (era === '2025-11-25') return { supportedProtocolVersions: ['2025-11-25'] };
  return { versionNegotiation: { mode: 'auto' } };
}

/** One target's client and its measurements, through connect, warm-up, timed slices and close. */
class TargetSession {
  readonly run: TargetRun;
  private client: Client | undefined;
  private coldStart = 0;

  constructor(
    target: BenchTarget,
    private readonly plan: BenchPlan,
    private readonly emit: (event: BenchEvent) => void,
  ) {
    this.run = { target, calls: [], timedMs: 0 };
  }

  async open(): Promise<void> {
    const { plan, run } = this;
    this.emit({ type: 'phase', target: run.target, phase: 'connect' });
    const client = new Client({ name: 'outlet-bench', version: '1.0.0' }, eraOptions(plan.era));
    // A fixed header rather than an auth provider: every request carries exactly what --token says,
    // and a refusal surfaces with its HTTP status, which is what the error breakdown groups by.
    const headers = plan.token ? { Authorization: `Bearer ${plan.token}` } : undefined;
    const transport = new StreamableHTTPClientTransport(run.target.url, headers ? { requestInit: { headers } } : {});
    this.coldStart = performance.now();
    try {
      await client.connect(transport, { timeout: plan.timeoutMs });
    } catch (err) {
      run.connectFailure = classifyError(err);
      await client.close().catch(() => undefined);
      this.emit({ type: 'calls', target: run.target, count: plan.requests, failed: plan.requests });
      return;
    }
    run.connectMs = performance.now() - this.coldStart;
    run.protocolVersion = client.getNegotiatedProtocolVersion();
    this.client = client;
    if (plan.warmup > 0) {
      this.emit({ type: 'phase', target: run.target, phase: 'warmup' });
      // Warm-up runs at the same concurrency so the timed phase finds as many open sockets as it needs.
      await this.calls(plan.warmup, () => undefined);
    }
  }

  /** `count` timed calls with `plan.concurrency` in flight; the slice's wall time adds to the throughput base. */
  async slice(count: number, round?: number): Promise<void> {
    if (!this.client || count === 0) return;
    this.emit({ type: 'phase', target: this.run.target, phase: 'timed', ...(round !== undefined ? { round } : {}) });
    const start = performance.now();
    await this.calls(count, (record) => {
      this.run.calls.push(record);
      this.emit({ type: 'calls', target: this.run.target, count: 1, failed: record.outcome.ok ? 0 : 1 });
    });
    this.run.timedMs += performance.now() - start;
  }

  async close(): Promise<void> {
    // A target that broke mid-run may fail to end its session too; that says nothing new.
    await this.client?.close().catch(() => undefined);
    this.client = undefined;
  }

  private async calls(count: number, record: (r: CallRecord) => void): Promise<void> {
    const client = this.client!;
    let started = 0;
    const worker = async () => {
      while (started < count) {
        started++;
        const t0 = performance.now();
        let outcome: CallOutcome;
        try {
          outcome = await this.callOnce(client);
        } catch (err) {
          outcome = { ok: false, ...classifyError(err) };
        }
        const t1 = performance.now();
        this.run.firstResultMs ??= t1 - this.coldStart;
        record({ latencyMs: t1 - t0, outcome });
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.plan.concurrency, count) }, worker));
  }

  private async callOnce(client: Client): Promise<CallOutcome> {
    const { plan } = this;
    if (plan.tool === undefined) {
      // Bypass the SDK's response cache: each call must be a round trip, or the bench measures memory.
      await client.listTools(undefined, { timeout: plan.timeoutMs, cacheMode: 'bypass' });
      return { ok: true };
    }
    return classifyResult(await client.callTool({ name: plan.tool, arguments: plan.args }, { timeout: plan.timeoutMs }));
  }
}

/** N split into `rounds` slices as evenly as integers allow (10 over 3: 4, 3, 3). */
export function splitEvenly(total: number, parts: number): number[] {
  return Array.from({ length: parts }, (_, i) => Math.floor(total / parts) + (i < total % parts ? 1 : 0));
}

/**
 * Runs the plan. With one round, targets run one after another, each alone on the machine from
 * connect to close (no idle session waits through another target's run). With more rounds all
 * targets connect first, then each round gives every target one slice of its calls, starting
 * from a different target each time, so slow drift on a noisy machine falls on all of them alike.
 * Targets are never loaded at the same time: they would compete for this machine's CPU.
 */
export async function runBench(plan: BenchPlan, emit: (event: BenchEvent) => void = () => undefined): Promise<TargetRun[]> {
  const sessions = plan.targets.map((t) => new TargetSession(t, plan, emit));
  const finish = async (s: TargetSession) => {
    await s.close();
    emit({ type: 'done', run: s.run });
  };
  if (plan.rounds === 1) {
    for (const s of sessions) {
      await s.open();
      await s.slice(plan.requests);
      await finish(s);
    }
  } else {
    for (const s of sessions) await s.open();
    const sizes = splitEvenly(plan.requests, plan.rounds);
    for (let r = 0; r < plan.rounds; r++) {
      for (let k = 0; k < sessions.length; k++) await sessions[(r + k) % sessions.length]!.slice(sizes[r]!, r + 1);
    }
    for (const s of sessions) await finish(s);
  }
  return sessions.map((s) => s.run);
}
