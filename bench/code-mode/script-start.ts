// What the program sandbox costs per run and per worker:
//   npx tsx bench/code-mode/script-start.ts [runs]
// - `return 1` through a warm pool: a fresh QuickJS runtime and context, the prelude, compile,
//   run and teardown, plus the two messages between the main thread and the worker;
// - the same with one host call (`await tools.echo(...)`), a round trip worker -> main -> worker;
// - memory per worker: the process RSS before the pool and after N workers are up, divided by N
//   (worker threads share the process, so RSS is the honest total: each worker's V8 isolate, its
//   QuickJS WebAssembly heap and its share of code), then again once each has loaded amaro for
//   TypeScript.
// Times are measured around `pool.run()` on the main thread (queueing included; nothing queues
// here, runs are sequential).
import { availableParallelism } from 'node:os';
import { ScriptPool } from '../../src/sandbox/script/script-pool.js';
import { DEFAULT_SCRIPT_LIMITS, type ScriptOutcome, type ScriptRequest } from '../../src/sandbox/script/script-types.js';

const RUNS = Number(process.argv[2] ?? 500);
const WORKERS = Math.min(4, availableParallelism());

const host = { callTool: async (_name: string, args: unknown): Promise<unknown> => args };
const request = (code: string): ScriptRequest => ({ code, toolNames: ['echo'], limits: DEFAULT_SCRIPT_LIMITS, host });

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;
}

function check(outcome: ScriptOutcome): void {
  if (!outcome.ok) throw new Error(`run failed (${outcome.reason}): ${outcome.message}`);
}

async function latency(pool: ScriptPool, code: string): Promise<{ p50: number; p95: number }> {
  for (let i = 0; i < 20; i++) check(await pool.run(request(code))); // warm the JIT and the worker
  const took: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    check(await pool.run(request(code)));
    took.push(performance.now() - start);
  }
  return { p50: percentile(took, 50), p95: percentile(took, 95) };
}

/** Keeps `n` runs busy at once so the pool starts `n` workers (and, with TypeScript, amaro in each). */
async function occupy(pool: ScriptPool, n: number, typescript: boolean): Promise<void> {
  const code = `${typescript ? 'const wait: number = 300;' : 'const wait = 300;'} await new Promise((r) => setTimeout(r, wait)); return 1`;
  const outcomes = await Promise.all(Array.from({ length: n }, () => pool.run(request(code))));
  outcomes.forEach(check);
}

const mib = (bytes: number): string => (bytes / 1024 / 1024).toFixed(1);
const ms = (value: number): string => value.toFixed(2);

const rssBefore = process.memoryUsage.rss();
const memoryPool = new ScriptPool({ workers: WORKERS });
await occupy(memoryPool, WORKERS, false);
const rssWorkers = process.memoryUsage.rss();
await occupy(memoryPool, WORKERS, true);
const rssAmaro = process.memoryUsage.rss();
if (memoryPool.stats().workers !== WORKERS) throw new Error(`expected ${WORKERS} workers, have ${memoryPool.stats().workers}`);
await memoryPool.close();

const pool = new ScriptPool({ workers: 1 });
const trivial = await latency(pool, 'return 1');
const oneCall = await latency(pool, 'return (await tools.echo({ n: 1 })).n');
await pool.close();

console.log(`program sandbox (QuickJS in worker threads), ${RUNS} sequential runs each, node ${process.version}`);
console.log(`  return 1               p50 ${ms(trivial.p50)} ms  p95 ${ms(trivial.p95)} ms`);
console.log(`  one host call          p50 ${ms(oneCall.p50)} ms  p95 ${ms(oneCall.p95)} ms`);
console.log(`  memory per worker      ${mib((rssWorkers - rssBefore) / WORKERS)} MiB RSS (${WORKERS} workers: ${mib(rssWorkers - rssBefore)} MiB)`);
console.log(`  with amaro loaded      ${mib((rssAmaro - rssBefore) / WORKERS)} MiB RSS per worker (after a TypeScript run in each)`);
