// mcp-outlet benchmark harness. Starts each configuration fresh on 127.0.0.1 and runs the
// same echo workload through it; rounds interleave the configurations; medians of rounds and
// within-round ratios are reported. See docs/performance.md.
//
//   tsx bench/run.ts                 full run: 3 rounds of a, b, c, c', d, e, f
//   tsx bench/run.ts --smoke         CI smoke: 1 round of a, b, c with tiny counts
//   tsx bench/run.ts --profile       also profile the outlet (c) during a throughput phase
//   tsx bench/run.ts --help
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { buildOutlet } from './lib/build.js';
import { CONFIGS, configById, REPO_ROOT, sleep, type ConfigDef, type ConfigId, type StartOptions } from './lib/configs.js';
import { measureConfig, type Counts } from './lib/measure.js';
import { loadAverage } from './lib/proc.js';
import { profileMarkdown, summarizeProfile, type ProfileSummary } from './lib/profile.js';
import { evaluateTargets, markdown, svgChart, type Environment } from './lib/report.js';
import { medianPerConfig, medianRatios, roundRatios, type ConfigRun } from './lib/results.js';
import { nowMs } from './lib/stats.js';
import { runConcurrent, runSequential } from './lib/workload.js';

const HELP = `usage: tsx bench/run.ts [options]
  --smoke               tiny counts, 1 round, configurations a,b,c (CI)
  --rounds N            rounds (default 3; smoke 1)
  --configs LIST        comma-separated ids among a,b,c,c',d,e,f (default all; smoke a,b,c)
  --warmup N            lean warm-up calls (default 200)
  --sequential N        lean sequential calls (default 2000)
  --throughput N        calls per in-flight level (default 4000)
  --inflight LIST       in-flight levels (default 16,64)
  --sdk-warmup N        SDK client warm-up calls (default 100)
  --sdk-calls N         SDK client sequential calls (default 1000)
  --cold N              cold connect-to-first-result samples (default 10)
  --settle-ms N         wait after start before reading the start RSS (default 1000)
  --idle-ms N           then wait this long idle before reading the idle RSS (default 15000; smoke 0):
                        V8's memory reducer gives start-up garbage back after a few idle seconds
  --phase-timeout-s N   upper bound of any one phase (default 120)
  --max-minutes N       upper bound of the whole run; configurations left are skipped (default 45)
  --profile             after the rounds, profile the outlet (c) under load with node --cpu-prof
  --profile-only        only the profile pass
  --profile-calls N     calls at the highest in-flight level while profiling (default 20000)
  --outlet-runtime R    build: compile src/ into bench/results/.outlet-build and run that (default);
                        tsx: run src/cli/main.ts through tsx, no build (smoke default)
  --outlet-sandbox S    default: the outlet's default sandbox (bubblewrap when usable; the default);
                        none: "sandbox": {"backend": "none"}, the upstream unconfined like in b, e, f
  --out DIR             results directory (default bench/results)
  --quiet               no progress lines`;

const { values: args } = parseArgs({
  options: {
    smoke: { type: 'boolean', default: false },
    rounds: { type: 'string' },
    configs: { type: 'string' },
    warmup: { type: 'string' },
    sequential: { type: 'string' },
    throughput: { type: 'string' },
    inflight: { type: 'string' },
    'sdk-warmup': { type: 'string' },
    'sdk-calls': { type: 'string' },
    cold: { type: 'string' },
    'settle-ms': { type: 'string' },
    'idle-ms': { type: 'string' },
    'phase-timeout-s': { type: 'string' },
    'max-minutes': { type: 'string' },
    profile: { type: 'boolean', default: false },
    'profile-only': { type: 'boolean', default: false },
    'profile-calls': { type: 'string' },
    out: { type: 'string' },
    'outlet-runtime': { type: 'string' },
    'outlet-sandbox': { type: 'string' },
    quiet: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
  strict: true,
});

if (args.help) {
  console.log(HELP);
  process.exit(0);
}

function int(name: string, value: string | undefined, fallback: number, min = 0, max = 10_000_000): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    console.error(`--${name}: expected an integer from ${min} to ${max}, got "${value}"`);
    process.exit(2);
  }
  return n;
}

const smoke = args.smoke;
const counts: Counts = {
  warmup: int('warmup', args.warmup, smoke ? 5 : 200),
  sequential: int('sequential', args.sequential, smoke ? 20 : 2000, 1),
  throughput: int('throughput', args.throughput, smoke ? 40 : 4000, 1),
  inflight: (args.inflight ?? (smoke ? '4' : '16,64')).split(',').map((s) => int('inflight', s.trim(), 1, 1, 1024)),
  sdkWarmup: int('sdk-warmup', args['sdk-warmup'], smoke ? 2 : 100),
  sdkCalls: int('sdk-calls', args['sdk-calls'], smoke ? 10 : 1000, 1),
  cold: int('cold', args.cold, smoke ? 2 : 10, 1, 1000),
  settleMs: int('settle-ms', args['settle-ms'], smoke ? 200 : 1000, 0, 60_000),
  idleMs: int('idle-ms', args['idle-ms'], smoke ? 0 : 15_000, 0, 120_000),
  phaseTimeoutMs: int('phase-timeout-s', args['phase-timeout-s'], smoke ? 20 : 120, 1, 3600) * 1000,
};
const rounds = int('rounds', args.rounds, smoke ? 1 : 3, 1, 50);
const ids = (args.configs ?? (smoke ? 'a,b,c' : CONFIGS.map((c) => c.id).join(','))).split(',').map((s) => s.trim()).filter(Boolean);
let defs: ConfigDef[];
try {
  defs = ids.map(configById);
} catch (err) {
  console.error((err as Error).message);
  process.exit(2);
}
const outletRuntime = args['outlet-runtime'] ?? (smoke ? 'tsx' : 'build');
if (outletRuntime !== 'build' && outletRuntime !== 'tsx') {
  console.error(`--outlet-runtime: expected build or tsx, got "${outletRuntime}"`);
  process.exit(2);
}
const outletSandbox = args['outlet-sandbox'] ?? 'default';
if (outletSandbox !== 'default' && outletSandbox !== 'none') {
  console.error(`--outlet-sandbox: expected default or none, got "${outletSandbox}"`);
  process.exit(2);
}
const maxMs = int('max-minutes', args['max-minutes'], smoke ? 2 : 45, 1, 600) * 60_000;
const outDir = resolve(args.out ?? join(REPO_ROOT, 'bench/results'));
const log = args.quiet ? () => undefined : (line: string) => console.error(line);
const highInflight = Math.max(...counts.inflight);

function git(): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src', 'bin'], { cwd: REPO_ROOT, encoding: 'utf8' }).trim().split('\n').filter(Boolean).length;
    return dirty ? `${head} + ${dirty} uncommitted change(s) in src/ and bin/` : head;
  } catch {
    return 'unknown';
  }
}

const startedAt = new Date();
const env: Environment = {
  startedAt: startedAt.toISOString(),
  nproc: cpus().length,
  cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
  memTotalGb: totalmem() / 2 ** 30,
  node: process.version,
  loadAtStart: loadAverage(),
  git: git(),
  outletRuns: 'via bin/outlet.js',
  command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
};
const deadline = nowMs() + maxMs;
const startOptions: StartOptions = { outletSandbox };

async function main(): Promise<void> {
  mkdirSync(outDir, { recursive: true });
  log(`mcp-outlet bench: ${rounds} round(s) of ${ids.join(', ')}; load average ${env.loadAtStart.join(' ')}; results in ${outDir}`);
  const runs: ConfigRun[] = [];
  const needsOutlet = args.profile || args['profile-only'] || defs.some((d) => d.id === 'c' || d.id === "c'");
  if (needsOutlet && outletRuntime === 'build') {
    log('building the outlet from src/ (tsc)');
    startOptions.outletEntry = buildOutlet(log);
  }
  if (outletRuntime === 'tsx') startOptions.outletEntry = join(REPO_ROOT, 'src/cli/main.ts');
  if (!args['profile-only']) {
    for (let round = 1; round <= rounds; round++) {
      // Rotate the order each round so no configuration always runs first or last.
      const order = defs.map((_, i) => defs[(i + round - 1) % defs.length]!);
      for (const [position, def] of order.entries()) {
        if (nowMs() > deadline) {
          runs.push({ id: def.id, label: def.label, round, position, status: 'skipped', reason: 'the run hit --max-minutes' });
          continue;
        }
        log(`round ${round}/${rounds}: ${def.label}`);
        const run = await measureConfig(def, counts, round, position, log, startOptions);
        if (run.status === 'failed') log(`    FAILED: ${run.reason}`);
        if (run.status === 'unavailable') log(`    ${run.reason}`);
        const outletInfo = run.info?.runs;
        if (outletInfo) env.outletRuns = `${outletInfo}; upstream under ${run.info?.descendants ?? '?'} (sandbox: ${run.info?.sandbox ?? '?'})`;
        runs.push(run);
        await sleep(smoke ? 50 : 500);
      }
    }
  }
  let profile: { summary: ProfileSummary; calls: number; file: string } | undefined;
  if (args.profile || args['profile-only']) profile = await profilePass();

  env.loadAtEnd = loadAverage();
  const roundList = [...new Set(runs.map((r) => r.round))];
  const ratios = roundList.map((r) => roundRatios(r, runs.filter((x) => x.round === r), counts.inflight));
  const med = medianRatios(ratios, counts.inflight);
  const labels = new Map(defs.map((d) => [d.id, d.label] as [ConfigId, string]));
  const medians = medianPerConfig(runs, defs.map((d) => d.id), labels, counts.inflight);
  const targets = evaluateTargets(med, medians, highInflight);
  const countsOut = { rounds, ...counts };
  let md = runs.length > 0 ? markdown(env, countsOut, medians, ratios, med, counts.inflight, targets) : `# mcp-outlet profile, ${env.startedAt}\n\nLoad average at start ${env.loadAtStart.join(' / ')}; code ${env.git}.\n`;
  if (profile) md += `\n${profileMarkdown(profile.summary, profile.calls, `Profile of the outlet (c) at ${highInflight} in flight: top self time`)}`;

  const stamp = startedAt.toISOString().replace(/[:.]/g, '-');
  const jsonPath = join(outDir, `${stamp}.json`);
  writeFileSync(jsonPath, JSON.stringify({ environment: env, counts: countsOut, medians, ratios: { rounds: ratios, median: med }, targets, runs, profile }, null, 2));
  writeFileSync(join(outDir, 'latest.md'), md);
  if (runs.length > 0) {
    writeFileSync(join(outDir, 'latest.svg'), svgChart(medians, counts.inflight, `mcp-outlet bench ${env.startedAt.slice(0, 16)}Z, ${env.nproc} cores, Node ${env.node}, medians of ${rounds} round(s); load at start ${env.loadAtStart[0]}`));
  }
  console.log(md);
  log(`wrote ${jsonPath}, latest.md${runs.length > 0 ? ', latest.svg' : ''}`);
  const failed = runs.filter((r) => r.status === 'failed');
  if (failed.length > 0) process.exitCode = 1;
}

/** Runs c under node --cpu-prof, loads it at the highest in-flight level, and ranks self time. */
async function profilePass(): Promise<{ summary: ProfileSummary; calls: number; file: string }> {
  const profileCalls = int('profile-calls', args['profile-calls'], 20_000, 1, 1_000_000);
  const dir = mkdtempSync(join(tmpdir(), 'outlet-prof-'));
  log(`profile: the outlet (c) under node --cpu-prof, ${profileCalls} calls at ${highInflight} in flight`);
  const running = await configById('c').start({ ...startOptions, nodeFlags: ['--cpu-prof', '--cpu-prof-dir', dir] });
  let window: [number, number];
  try {
    const lean = await running.openLean(highInflight);
    try {
      await runSequential((t) => lean.call(t), Math.max(counts.warmup, 500), counts.phaseTimeoutMs);
      await runConcurrent((t) => lean.call(t), Math.min(profileCalls, 2000), highInflight, counts.phaseTimeoutMs);
      const start = Number(process.hrtime.bigint() / 1000n);
      const r = await runConcurrent((t) => lean.call(t), profileCalls, highInflight, counts.phaseTimeoutMs);
      window = [start, Number(process.hrtime.bigint() / 1000n)];
      log(`    ${Math.round(((r.calls - r.errors) / r.elapsedMs) * 1000)} calls/s under the profiler, ${r.errors} errors`);
    } finally {
      await lean.close();
    }
  } finally {
    await running.stop();
  }
  // The main thread's profile is the largest file (a loader worker may write a small one too).
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')).map((f) => join(dir, f));
  if (files.length === 0) throw new Error(`no .cpuprofile written in ${dir}`);
  const file = files.sort((x, y) => statSync(y).size - statSync(x).size)[0]!;
  const summary = summarizeProfile(file, REPO_ROOT, window);
  const kept = join(outDir, 'outlet-throughput.cpuprofile');
  writeFileSync(kept, readFileSync(file));
  rmSync(dir, { recursive: true, force: true });
  log(`    profile kept as ${kept} (open it in Chrome DevTools > Performance, or VS Code)`);
  return { summary, calls: profileCalls, file: kept };
}

const hardStop = setTimeout(() => {
  console.error(`bench: over the ${maxMs / 60_000} minute bound plus 5 minutes; giving up`);
  process.exit(1);
}, maxMs + 300_000);
hardStop.unref();

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
