import { arch, cpus, release, totalmem, type } from 'node:os';
import type { BenchPlan, BenchReport, MachineInfo, TargetRun } from './bench-types.js';
import { sharedEdges, summarizeTarget } from './bench-stats.js';

/** The machine the client ran on: client-side CPU limits what a bench can measure, so it belongs in the report. */
export function machineInfo(): MachineInfo {
  const list = cpus();
  return {
    os: `${type()} ${release()}`,
    arch: arch(),
    cpuModel: list[0]?.model.trim() ?? 'unknown',
    cpus: list.length,
    totalMemoryMb: Math.round(totalmem() / 2 ** 20),
    node: process.version,
  };
}

/** Every figure of the run in one serializable object: the terminal, HTML and JSON outputs all render this. */
export function buildReport(plan: BenchPlan, runs: readonly TargetRun[], at: Date = new Date()): BenchReport {
  const edges = sharedEdges(runs);
  return {
    generatedAt: at.toISOString(),
    parameters: {
      method: plan.tool === undefined ? 'tools/list' : 'tools/call',
      tool: plan.tool ?? null,
      args: plan.tool === undefined ? null : plan.args,
      requests: plan.requests,
      concurrency: plan.concurrency,
      warmup: plan.warmup,
      rounds: plan.rounds,
      era: plan.era,
      timeoutMs: plan.timeoutMs,
      // Whether a token was sent, never the token: reports get pasted into issues.
      authorization: plan.token !== undefined,
    },
    machine: machineInfo(),
    histogramEdgesMs: edges,
    targets: runs.map((run) => summarizeTarget(run, plan.requests, edges)),
  };
}

/** 1 when any target had any call that did not succeed (tool errors included), else 0. */
export function exitCodeOf(report: BenchReport): number {
  return report.targets.some((t) => t.ok < t.requests) ? 1 : 0;
}
