// Runs the whole workload against one freshly started configuration and returns its figures.
import { readFileSync } from 'node:fs';
import { sleep, type ConfigDef, type Running, type StartOptions } from './configs.js';
import { cpuSeconds, descendants, machineCpu, memory, RssSampler, treeCpu, treeCpuDelta } from './proc.js';
import type { ConfigRun, PhaseSummary, ThroughputSummary } from './results.js';
import { median, nowMs, percentile, summarize } from './stats.js';
import { runConcurrent, runSequential, type PhaseResult } from './workload.js';

export interface Counts {
  warmup: number;
  sequential: number;
  throughput: number;
  inflight: number[];
  sdkWarmup: number;
  sdkCalls: number;
  cold: number;
  settleMs: number;
  /** Further wait before the idle RSS reading: V8's memory reducer returns start-up garbage after some seconds idle. */
  idleMs: number;
  /** Upper bound of any one phase, in milliseconds. */
  phaseTimeoutMs: number;
}

function phaseSummary(r: PhaseResult): PhaseSummary {
  return { ...summarize(r.latenciesMs), errors: r.errors, ...(r.firstError ? { firstError: r.firstError } : {}), truncated: r.truncated };
}

export type Log = (line: string) => void;

/** The command names of a process's descendants, e.g. "sh, node" (is the upstream sandboxed, wrapped in a shell?). */
function childCommands(pid: number): string {
  return descendants(pid)
    .map((p) => {
      try {
        return readFileSync(`/proc/${p}/comm`, 'utf8').trim();
      } catch {
        return '?';
      }
    })
    .join(', ');
}

export async function measureConfig(def: ConfigDef, counts: Counts, round: number, position: number, log: Log, options: StartOptions = {}): Promise<ConfigRun> {
  const base: ConfigRun = { id: def.id, label: def.label, round, position, status: 'ok' };
  if (def.unavailable) return { ...base, status: 'unavailable', reason: def.unavailable };
  const t0 = nowMs();
  let running: Running;
  try {
    running = await def.start(options);
  } catch (err) {
    return { ...base, status: 'failed', reason: `start: ${(err as Error).message}` };
  }
  const run: ConfigRun = { ...base, info: running.info, startupMs: nowMs() - t0 };
  const sampler = new RssSampler(running.pid);
  try {
    await sleep(counts.settleMs);
    run.info = { ...run.info, descendants: childCommands(running.pid) || '(none at idle)' };
    run.startRssMb = memory(running.pid)?.rssMb ?? NaN;
    if (counts.idleMs > 0) await sleep(counts.idleMs);
    run.idleRssMb = memory(running.pid)?.rssMb ?? NaN;
    sampler.start();

    // Lean client: warm-up, sequential latency, then throughput at each in-flight level.
    const maxInflight = Math.max(1, ...counts.inflight);
    const lean = await running.openLean(maxInflight);
    try {
      const warm = await runSequential((t) => lean.call(t), counts.warmup, counts.phaseTimeoutMs);
      run.warmup = { calls: warm.calls, errors: warm.errors };
      run.sequential = phaseSummary(await runSequential((t) => lean.call(t), counts.sequential, counts.phaseTimeoutMs));
      log(`    sequential p50 ${run.sequential.p50Ms.toFixed(3)} ms p99 ${run.sequential.p99Ms.toFixed(3)} ms`);

      const cpuBefore = treeCpu(running.pid);
      const procBefore = cpuSeconds(running.pid) ?? NaN;
      const clientBefore = process.cpuUsage();
      const machineBefore = machineCpu();
      const wallStart = nowMs();
      run.throughput = [];
      for (const inflight of counts.inflight) {
        const r = await runConcurrent((t) => lean.call(t), counts.throughput, inflight, counts.phaseTimeoutMs);
        const t: ThroughputSummary = {
          inflight,
          calls: r.calls,
          errors: r.errors,
          ...(r.firstError ? { firstError: r.firstError } : {}),
          elapsedMs: r.elapsedMs,
          callsPerSec: ((r.calls - r.errors) / r.elapsedMs) * 1000,
          p50Ms: percentile(r.latenciesMs, 50),
          p99Ms: percentile(r.latenciesMs, 99),
          truncated: r.truncated,
        };
        run.throughput.push(t);
        log(`    ${inflight} in flight: ${Math.round(t.callsPerSec)} calls/s (p99 ${t.p99Ms.toFixed(2)} ms)`);
      }
      const wallMs = nowMs() - wallStart;
      const client = process.cpuUsage(clientBefore);
      const procSec = (cpuSeconds(running.pid) ?? NaN) - procBefore;
      const treeSec = treeCpuDelta(cpuBefore, treeCpu(running.pid));
      const calls = run.throughput.reduce((s, t) => s + t.calls, 0);
      const machineAfter = machineCpu();
      const machineTotal = machineAfter.total - machineBefore.total;
      const machineBusy = machineAfter.busy - machineBefore.busy;
      const clientSec = (client.user + client.system) / 1e6;
      run.cpu = {
        calls,
        wallMs,
        processSeconds: procSec,
        treeSeconds: treeSec,
        processUsPerCall: (procSec / calls) * 1e6,
        treeUsPerCall: (treeSec / calls) * 1e6,
        clientUsPerCall: (client.user + client.system) / calls,
        machineBusyPct: (machineBusy / machineTotal) * 100,
        othersBusyPct: (Math.max(0, machineBusy - treeSec - clientSec) / machineTotal) * 100,
      };
      log(
        `    CPU per call: ${run.cpu.processUsPerCall.toFixed(0)} us (with descendants ${run.cpu.treeUsPerCall.toFixed(0)} us; client ${run.cpu.clientUsPerCall.toFixed(0)} us); machine ${run.cpu.machineBusyPct.toFixed(0)}% busy, ${run.cpu.othersBusyPct.toFixed(0)}% by other processes`,
      );
    } finally {
      await lean.close();
    }

    // The SDK's own client: a realistic sequential figure.
    const sdk = await running.openSdk();
    try {
      await runSequential((t) => sdk.call(t), counts.sdkWarmup, counts.phaseTimeoutMs);
      run.sdk = phaseSummary(await runSequential((t) => sdk.call(t), counts.sdkCalls, counts.phaseTimeoutMs));
      log(`    SDK client p50 ${run.sdk.p50Ms.toFixed(3)} ms p99 ${run.sdk.p99Ms.toFixed(3)} ms`);
    } finally {
      await sdk.close();
    }

    // Cold: a fresh connection and session to the first result, several times.
    const samplesMs: number[] = [];
    let coldErrors = 0;
    let coldFirstError: string | undefined;
    const coldUntil = nowMs() + counts.phaseTimeoutMs;
    for (let i = 0; i < counts.cold && nowMs() < coldUntil; i++) {
      try {
        samplesMs.push(await running.cold());
      } catch (err) {
        coldErrors++;
        coldFirstError ??= (err as Error).message;
      }
    }
    run.cold = { samplesMs, medianMs: median(samplesMs), errors: coldErrors, ...(coldFirstError ? { firstError: coldFirstError } : {}) };
    log(`    cold median ${run.cold.medianMs.toFixed(1)} ms`);

    sampler.stop();
    run.peakRssMb = sampler.peakMb;
    run.rssSamples = sampler.samples;
    run.hwmMb = memory(running.pid)?.hwmMb ?? NaN;
    run.totalErrors =
      (run.warmup?.errors ?? 0) +
      (run.sequential?.errors ?? 0) +
      (run.throughput?.reduce((s, t) => s + t.errors, 0) ?? 0) +
      (run.sdk?.errors ?? 0) +
      coldErrors;
    return run;
  } catch (err) {
    return { ...run, status: 'failed', reason: (err as Error).message };
  } finally {
    sampler.stop();
    await running.stop().catch(() => undefined);
  }
}
