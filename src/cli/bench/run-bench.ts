import { writeFileSync } from 'node:fs';
import type { BenchPlan, BenchReport } from './bench-types.js';
import { buildReport, exitCodeOf } from './bench-report.js';
import { runBench } from './load-runner.js';
import { BenchUsageError, parseBenchOptions, type RawBenchOptions } from './parse-bench-args.js';
import { createProgress, type ProgressSink } from './progress.js';
import { renderHtml } from './render-html.js';
import { renderTerminal } from './render-terminal.js';

/** Output streams, passed in so a test can run the whole command in-process and read what it printed. */
export interface BenchIo {
  stdout: { write(text: string): void };
  stderr: ProgressSink;
}

export const EXIT_OK = 0;
export const EXIT_FAILURES = 1;
export const EXIT_BAD_INPUT = 2;

export interface BenchOutcome {
  exitCode: number;
  /** Absent when the input was rejected before anything ran. */
  report?: BenchReport;
}

/** `outlet bench` from raw option values to exit code: 2 bad input, 1 some call failed, 0 all succeeded. */
export async function benchCommand(raw: RawBenchOptions, io: BenchIo): Promise<BenchOutcome> {
  let plan: BenchPlan;
  try {
    plan = parseBenchOptions(raw);
  } catch (err) {
    if (!(err instanceof BenchUsageError)) throw err;
    io.stderr.write(`outlet: ${err.message}\n`);
    return { exitCode: EXIT_BAD_INPUT };
  }
  const report = await executeBench(plan, io);
  return { exitCode: exitCodeOf(report), report };
}

export async function executeBench(plan: BenchPlan, io: BenchIo): Promise<BenchReport> {
  const progress = createProgress(io.stderr, plan.requests * plan.targets.length);
  const runs = await runBench(plan, (event) => progress.onEvent(event));
  progress.finish();
  const report = buildReport(plan, runs);
  io.stdout.write(renderTerminal(report));
  if (plan.jsonPath) {
    writeFileSync(plan.jsonPath, `${JSON.stringify(report, null, 2)}\n`);
    io.stderr.write(`bench: figures written to ${plan.jsonPath}\n`);
  }
  if (plan.reportPath) {
    writeFileSync(plan.reportPath, renderHtml(report));
    io.stderr.write(`bench: report written to ${plan.reportPath}\n`);
  }
  return report;
}
