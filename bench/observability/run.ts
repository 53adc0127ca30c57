// Observability overhead: the outlet with tracing, metrics and tool-call logs on against the
// same outlet with nothing subscribed to its channels, on the echo workload of the main benchmark.
//
//   npx tsx bench/observability/run.ts [--rounds 10] [--calls 20000] [--warmup 5000] [--inflight 16] [--sequential 300]
//                                      [--modes off,full,tracing,metrics,logs,noop,...] [--runtime build|tsx]
//                                      [--micro 20000] [--out FILE]
//                                      [--interleaved [--processes 2] [--blocks 6]] [--pin]
//                                      [--paired [--seconds 10] [--settle 3]] [--alternating [--slices 10] [--slice-ms 1000]]
//
// By default each measurement runs in a fresh gateway process (serve.ts, compiled build), set to
// its mode before the first call: 300 sequential and `warmup` concurrent warm-up calls, then `calls` calls with `inflight`
// outstanding (throughput, and the gateway process's CPU per call from /proc), then `sequential`
// calls one at a time (p50). Modes alternate within a round (order rotated per round); ratios are
// taken within a round against "off", then their median over rounds. With --interleaved, modes
// are switched inside running processes instead, block after block: less exposed to drift in
// machine load, but switching leaves the JIT with code shaped by every mode (a bias against the
// modes with subscribers). With --pin, the gateway runs alone on CPU 1 and this process and the
// upstream server share CPU 0 (taskset): the gateway is then the bottleneck, its throughput is set
// by its own CPU per call, and the three processes no longer trade places on the two cores from
// one measurement to the next (the largest source of spread here). With --paired, each round
// starts one fresh gateway per mode, all on the same core (CPU 1, with --pin implied), warms them
// up together (then `settle` seconds more), then loads them all at once for `seconds`: they share
// that core and whatever the host does to it in the same moments, so drift, which moves
// consecutive measurements by 15% here, cancels out of the ratios. Each gateway's throughput is then its share of the core, and its CPU
// per call is read from /proc over the same window; p50 is not measured (the gateways compete).
// With --alternating, the gateways start and warm up as with --paired, then are loaded one at a
// time, in turns (see measureAlternating).
// Then a micro-benchmark in a process of its own (micro.ts): the
// subscribers' own cost per request with the channels published directly, no I/O.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { buildOutlet, BUILD_DIR } from '../lib/build.js';
import { REPO_ROOT } from '../lib/configs.js';
import { LeanHttpSession } from '../lib/lean-http.js';
import { cpuSeconds, descendants } from '../lib/proc.js';
import { median, percentile } from '../lib/stats.js';
import { runConcurrent, runSequential } from '../lib/workload.js';

interface Options {
  /** Fresh process per measurement (default), or --interleaved: modes switched inside running processes. */
  interleaved: boolean;
  /** One gateway per mode loaded at the same time on one core (see --paired above). */
  paired: boolean;
  /** Each gateway measured alone in turn (see --alternating above). */
  alternating: boolean;
  /** The alternating turns per gateway, and each turn's length. */
  slices: number;
  sliceMs: number;
  /** The paired window's length. */
  seconds: number;
  /** The paired gateways' joint unmeasured load before the window, in seconds. */
  settle: number;
  /** The gateway on a core of its own (see --pin above). */
  pin: boolean;
  rounds: number;
  processes: number;
  blocks: number;
  /**
   * Calls before a fresh process is measured, and calls measured. Both are long on purpose: in
   * its first seconds a process is still compiling its hot code (on a background thread whose CPU
   * counts too), more of it with observability on, and a short window measured that warm-up.
   */
  calls: number;
  warmup: number;
  inflight: number;
  sequential: number;
  modes: string[];
  runtime: 'build' | 'tsx';
  micro: number;
  out?: string;
}

function parseArgs(argv: string[]): Options {
  const o: Options = { interleaved: false, paired: false, alternating: false, slices: 10, sliceMs: 1000, seconds: 10, settle: 3, pin: false, rounds: 10, processes: 2, blocks: 6, calls: 20_000, warmup: 5000, inflight: 16, sequential: 300, modes: ['off', 'full', 'tracing', 'metrics', 'logs'], runtime: 'build', micro: 20_000 };
  for (let i = 0; i < argv.length; i++) {
    const [flag, value] = [argv[i], argv[i + 1]];
    const num = () => {
      i++;
      const n = Number(value);
      if (!Number.isInteger(n) || n < 0) throw new Error(`${flag}: expected a non-negative integer`);
      return n;
    };
    if (flag === '--interleaved') o.interleaved = true;
    else if (flag === '--paired') o.paired = o.pin = true;
    else if (flag === '--alternating') o.alternating = o.pin = true;
    else if (flag === '--slices') o.slices = num();
    else if (flag === '--slice-ms') o.sliceMs = num();
    else if (flag === '--seconds') o.seconds = num();
    else if (flag === '--settle') o.settle = num();
    else if (flag === '--pin') o.pin = true;
    else if (flag === '--rounds') o.rounds = num();
    else if (flag === '--processes') o.processes = num();
    else if (flag === '--blocks') o.blocks = num();
    else if (flag === '--calls') o.calls = num();
    else if (flag === '--warmup') o.warmup = num();
    else if (flag === '--inflight') o.inflight = num();
    else if (flag === '--sequential') o.sequential = num();
    else if (flag === '--micro') o.micro = num();
    else if (flag === '--modes') {
      o.modes = value!.split(',');
      i++;
    } else if (flag === '--runtime') {
      o.runtime = value === 'tsx' ? 'tsx' : 'build';
      i++;
    } else if (flag === '--out') {
      o.out = value;
      i++;
    } else if (flag === '--help') {
      console.log('see the header of bench/observability/run.ts');
      process.exit(0);
    } else throw new Error(`unknown option ${flag}`);
  }
  if (!o.modes.includes('off')) o.modes.unshift('off');
  return o;
}

interface Sample {
  process: number;
  block: number;
  mode: string;
  callsPerSec: number;
  cpuUsPerCall: number;
  p50Ms: number;
  errors: number;
}

interface Gateway {
  child: ChildProcess;
  url: string;
  /** Switches observability to `mode` and resolves once the gateway says it has. */
  set(mode: string): Promise<void>;
  stop(): Promise<void>;
}

/** Moves a process, every thread of it, to one CPU. */
function pinTo(cpu: number, pid: number): void {
  execFileSync('taskset', ['-a', '-p', '-c', String(cpu), String(pid)], { stdio: 'ignore' });
}

async function startGateway(root: string, pin: boolean): Promise<Gateway> {
  const args = ['--expose-gc', '--import', 'tsx', join(REPO_ROOT, 'bench/observability/serve.ts'), root];
  // taskset execs node: the child's pid is the gateway's.
  const child = pin ? spawn('taskset', ['-c', '1', process.execPath, ...args], { cwd: REPO_ROOT, stdio: ['pipe', 'pipe', 'inherit'] }) : spawn(process.execPath, args, { cwd: REPO_ROOT, stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const next = async (what: string): Promise<Record<string, string>> => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    try {
      const { value, done } = await lines.next();
      if (done) throw new Error(`the gateway exited while ${what}`);
      const msg = JSON.parse(String(value)) as Record<string, string>;
      if (msg.error) throw new Error(`${what}: ${msg.error}`);
      return msg;
    } finally {
      clearTimeout(timer);
    }
  };
  const { url } = await next('starting');
  // The upstream server (spawned by the gateway, so on its CPU) joins the load generator.
  if (pin) for (const pid of descendants(child.pid!)) pinTo(0, pid);
  return {
    child,
    url: url!,
    set: async (mode) => {
      child.stdin!.write(`${mode}\n`);
      await next(`switching to ${mode}`);
    },
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.stdin!.end('exit\n');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** One measurement: a fresh gateway process set to `mode` before its first call, warmed up, then measured. */
async function measureFresh(root: string, mode: string, round: number, o: Options): Promise<Sample> {
  const gateway = await startGateway(root, o.pin);
  try {
    await gateway.set(mode);
    const session = await LeanHttpSession.open(`${gateway.url}/mcp`, 'echo__echo', o.inflight);
    try {
      const call = (text: string) => session.call(text);
      await runSequential(call, 300, 30_000);
      await runConcurrent(call, o.warmup, o.inflight, 120_000);
      return await measureBlock(gateway, call, mode, round, 1, o);
    } finally {
      await session.close();
    }
  } finally {
    await gateway.stop();
  }
}

/** `calls` calls at `inflight` (throughput, gateway CPU per call), then `sequential` calls (p50). */
async function measureBlock(gateway: Gateway, call: (text: string) => Promise<void>, mode: string, process: number, block: number, o: Options): Promise<Sample> {
  const cpu0 = cpuSeconds(gateway.child.pid!) ?? NaN;
  const load = await runConcurrent(call, o.calls, o.inflight, 120_000);
  const cpu1 = cpuSeconds(gateway.child.pid!) ?? NaN;
  const seq = await runSequential(call, o.sequential, 60_000);
  return {
    process,
    block,
    mode,
    callsPerSec: (load.calls / load.elapsedMs) * 1000,
    cpuUsPerCall: ((cpu1 - cpu0) / load.calls) * 1e6,
    p50Ms: percentile(seq.latenciesMs, 50),
    errors: load.errors + seq.errors,
  };
}

/** Interleaved: one gateway process switching between the modes, block after block. */
async function measureProcess(root: string, p: number, o: Options, report: (s: Sample) => void): Promise<void> {
  const gateway = await startGateway(root, o.pin);
  try {
    const session = await LeanHttpSession.open(`${gateway.url}/mcp`, 'echo__echo', o.inflight);
    try {
      const call = (text: string) => session.call(text);
      await runSequential(call, 300, 30_000);
      await runConcurrent(call, o.warmup, o.inflight, 120_000);
      for (let block = 1; block <= o.blocks; block++) {
        const order = o.modes.map((_, i) => o.modes[(i + block - 1 + p) % o.modes.length]!);
        for (const mode of order) {
          await gateway.set(mode);
          await runConcurrent(call, 300, o.inflight, 30_000);
          report(await measureBlock(gateway, call, mode, p, block, o));
        }
      }
    } finally {
      await session.close();
    }
  } finally {
    await gateway.stop();
  }
}

/** Paired and alternating: a fresh gateway per mode on one core, warmed up together, then measured by `measure`. */
async function measureTogether(root: string, round: number, o: Options, measure: (gateways: Gateway[], sessions: LeanHttpSession[], order: string[]) => Promise<void>): Promise<void> {
  const gateways: Gateway[] = [];
  const sessions: LeanHttpSession[] = [];
  // Started and warmed up in an order rotated round by round: in an A/A check (off against off), the
  // gateway started second was 1.5% faster in every round, whatever the reason; rotation cancels that.
  const order = o.modes.map((_, i) => o.modes[(i + round - 1) % o.modes.length]!);
  try {
    for (const mode of order) {
      const gateway = await startGateway(root, o.pin);
      gateways.push(gateway);
      await gateway.set(mode);
      sessions.push(await LeanHttpSession.open(`${gateway.url}/mcp`, 'echo__echo', o.inflight));
    }
    // Warmed up all at once, not one after the other: a gateway left idle while the next one warmed
    // up used 4 to 7% more CPU per call for the rest of the round on some days (seen in A/A checks
    // and in both start orders), whatever the reason (V8 shrinks an idle heap's young generation;
    // the host may take back idle memory). No gateway idles now between its start and the window.
    await Promise.all(sessions.map((session) => runSequential((text) => session.call(text), 300, 60_000)));
    await Promise.all(sessions.map((session) => runConcurrent((text) => session.call(text), o.warmup, o.inflight, 240_000)));
    // Then all together for a while more, unmeasured, so that the window opens on a steady state.
    await Promise.all(sessions.map((session) => runConcurrent((text) => session.call(text), Number.MAX_SAFE_INTEGER, o.inflight, o.settle * 1000)));
    await measure(gateways, sessions, order);
  } finally {
    await Promise.all(sessions.map((s) => s.close()));
    await Promise.all(gateways.map((g) => g.stop()));
  }
}

/** Paired: all gateways loaded at once on their shared core for `seconds`. */
function measurePaired(root: string, round: number, o: Options, report: (s: Sample) => void): Promise<void> {
  return measureTogether(root, round, o, async (gateways, sessions, order) => {
    const pids = gateways.map((g) => g.child.pid!);
    const cpu0 = pids.map((pid) => cpuSeconds(pid) ?? NaN);
    // As many calls as fit in the window: the deadline ends each load, all at the same moment.
    const loads = await Promise.all(sessions.map((session) => runConcurrent((text) => session.call(text), Number.MAX_SAFE_INTEGER, o.inflight, o.seconds * 1000)));
    const cpu1 = pids.map((pid) => cpuSeconds(pid) ?? NaN);
    order.forEach((mode, i) => {
      const load = loads[i]!;
      report({ process: round, block: 1, mode, callsPerSec: (load.calls / load.elapsedMs) * 1000, cpuUsPerCall: ((cpu1[i]! - cpu0[i]!) / load.calls) * 1e6, p50Ms: NaN, errors: load.errors });
    });
  });
}

/**
 * Alternating: the same warm gateways, loaded one at a time in turn, `slices` turns of `sliceMs`
 * each (the order rotated turn by turn). Each has the core to itself while measured, as a gateway in
 * service has, where paired gateways share the core's caches and the young generation's memory
 * traffic of the other; drift slower than a few turns still cancels, as both see it in alternation.
 */
function measureAlternating(root: string, round: number, o: Options, report: (s: Sample) => void): Promise<void> {
  return measureTogether(root, round, o, async (gateways, sessions, order) => {
    const totals = order.map(() => ({ calls: 0, ms: 0, cpu: 0, errors: 0 }));
    for (let slice = 0; slice < o.slices; slice++) {
      for (let k = 0; k < order.length; k++) {
        const i = (k + slice) % order.length;
        const pid = gateways[i]!.child.pid!;
        const cpu0 = cpuSeconds(pid) ?? NaN;
        const load = await runConcurrent((text) => sessions[i]!.call(text), Number.MAX_SAFE_INTEGER, o.inflight, o.sliceMs);
        const total = totals[i]!;
        total.cpu += (cpuSeconds(pid) ?? NaN) - cpu0;
        total.calls += load.calls;
        total.ms += load.elapsedMs;
        total.errors += load.errors;
      }
    }
    order.forEach((mode, i) => {
      const t = totals[i]!;
      report({ process: round, block: 1, mode, callsPerSec: (t.calls / t.ms) * 1000, cpuUsPerCall: (t.cpu / t.calls) * 1e6, p50Ms: NaN, errors: t.errors });
    });
  });
}

/** Runs micro.ts in a process of its own against the same module root. */
async function micro(root: string, iterations: number): Promise<Record<string, number>> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'bench/observability/micro.ts'), root, String(iterations), '5'], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`micro.ts exited with ${String(code)}`);
  return JSON.parse(out.trim().split('\n').pop()!) as Record<string, number>;
}

const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  if (o.pin) pinTo(0, process.pid);
  const root = o.runtime === 'build' ? (buildOutlet((l) => console.log(l)), BUILD_DIR) : join(REPO_ROOT, 'src');
  const samples: Sample[] = [];
  const loadAtStart = (await import('node:os')).loadavg();
  const report = (s: Sample) => {
    samples.push(s);
    console.log(`${o.interleaved ? `process ${s.process} block ${s.block}` : `round ${s.process}`} ${s.mode.padEnd(8)} ${fmt(s.callsPerSec, 0).padStart(6)} calls/s  ${fmt(s.cpuUsPerCall, 0).padStart(5)} us CPU/call  p50 ${fmt(s.p50Ms, 3)} ms  errors ${s.errors}`);
  };
  if (o.interleaved) {
    for (let p = 1; p <= o.processes; p++) await measureProcess(root, p, o, report);
  } else if (o.paired || o.alternating) {
    for (let round = 1; round <= o.rounds; round++) await (o.alternating ? measureAlternating : measurePaired)(root, round, o, report);
  } else {
    // A fresh process per measurement, modes alternating round by round (order rotated).
    for (let round = 1; round <= o.rounds; round++) {
      for (let i = 0; i < o.modes.length; i++) report(await measureFresh(root, o.modes[(i + round - 1) % o.modes.length]!, round, o));
    }
  }
  // The "off" measurement of the same round (fresh processes) or of the same block of the same process (interleaved).
  const baseline = (s: Sample) => samples.find((b) => b.mode === 'off' && b.block === s.block && b.process === s.process)!;
  const rows = o.modes.map((mode) => {
    const mine = samples.filter((s) => s.mode === mode);
    const ratios = (pick: (s: Sample) => number) => mine.map((s) => pick(s) / pick(baseline(s)));
    // Paired rounds come in two clusters, one per start order (see measurePaired): their geometric
    // mean weighs both halves alike, where a median would pick from the middle of the gap.
    const central = (values: number[]) => (o.paired || o.alternating ? Math.exp(values.reduce((a, v) => a + Math.log(v), 0) / values.length) : median(values));
    const cpuDelta = mine.map((s) => s.cpuUsPerCall - baseline(s).cpuUsPerCall);
    return {
      mode,
      callsPerSec: median(mine.map((s) => s.callsPerSec)),
      cpuUsPerCall: median(mine.map((s) => s.cpuUsPerCall)),
      p50Ms: median(mine.map((s) => s.p50Ms)),
      throughputRatio: central(ratios((s) => s.callsPerSec)),
      cpuRatio: central(ratios((s) => s.cpuUsPerCall)),
      cpuDeltaUs: median(cpuDelta),
      p50Ratio: median(ratios((s) => s.p50Ms)),
      errors: mine.reduce((a, s) => a + s.errors, 0),
    };
  });
  const m = o.micro > 0 ? await micro(root, o.micro) : undefined;
  const loadAtEnd = (await import('node:os')).loadavg();

  const lines = [
    `Observability overhead, ${new Date().toISOString()}: ${o.interleaved ? `${o.processes} gateway processes x ${o.blocks} interleaved blocks, ${o.warmup} warm-up and ${o.calls} measured calls at ${o.inflight} in flight and ${o.sequential} sequential per measurement` : o.paired ? `${o.rounds} rounds of one fresh gateway per mode, all loaded at once on one core for ${o.seconds} s (${o.warmup} warm-up calls each, ${o.inflight} in flight each; no p50)` : o.alternating ? `${o.rounds} rounds of one fresh gateway per mode on one core, warmed up together, then loaded one at a time in ${o.slices} turns of ${o.sliceMs} ms each (${o.warmup} warm-up calls each, ${o.inflight} in flight; no p50)` : `${o.rounds} rounds of a fresh gateway process per mode, ${o.warmup} warm-up and ${o.calls} measured calls at ${o.inflight} in flight and ${o.sequential} sequential per measurement`}; runtime ${o.runtime}${o.pin ? "; gateway pinned to CPU 1, load generator and upstream to CPU 0" : ""}; load ${loadAtStart.map((l) => l.toFixed(2)).join(' / ')} -> ${loadAtEnd.map((l) => l.toFixed(2)).join(' / ')}`,
    '',
    '| mode | calls/s | gateway CPU us/call | p50 ms | throughput vs off | CPU/call vs off | CPU us/call added | p50 vs off | errors |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map((r) => `| ${r.mode} | ${fmt(r.callsPerSec, 0)} | ${fmt(r.cpuUsPerCall, 0)} | ${fmt(r.p50Ms, 3)} | ${fmt(r.throughputRatio, 3)}x | ${fmt(r.cpuRatio, 3)}x | ${fmt(r.cpuDeltaUs, 0)} | ${fmt(r.p50Ratio, 3)}x | ${r.errors} |`),
  ];
  if (m) {
    lines.push('', `The subscribers alone (bench/observability/micro.ts: no I/O, CPU time, best of 5 x ${o.micro} requests), us per request:`, '', '| configuration | us per request | added vs off |', '|---|---:|---:|');
    for (const [name, us] of Object.entries(m)) lines.push(`| ${name} | ${fmt(us, 2)} | ${fmt(us - m.off!, 2)} |`);
  }
  console.log(`\n${lines.join('\n')}`);
  const out = o.out ?? join(REPO_ROOT, 'bench/results', `observability-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  mkdirSync(join(out, '..'), { recursive: true });
  writeFileSync(out, JSON.stringify({ options: o, samples, rows, micro: m, loadAtStart, loadAtEnd }, null, 2));
  console.log(`\nwritten ${out}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
