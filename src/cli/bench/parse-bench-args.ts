import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { BenchEra, BenchPlan, BenchTarget } from './bench-types.js';

/** Bad input on the command line: the command prints the message and exits 2 without running anything. */
export class BenchUsageError extends Error {
  override readonly name = 'BenchUsageError';
}

/** The option values as commander hands them over: strings, `--target` collected into a list. */
export interface RawBenchOptions {
  target?: string[];
  tool?: string;
  args?: string;
  requests?: string;
  concurrency?: string;
  warmup?: string;
  rounds?: string;
  era?: string;
  timeout?: string;
  token?: string;
  report?: string;
  json?: string;
}

export const BENCH_DEFAULTS = { requests: 100, concurrency: 1, warmup: 5, rounds: 1, timeoutMs: 30_000 } as const;
const ERAS: readonly BenchEra[] = ['2025-11-25', '2026-07-28', 'auto'];

/** Validates everything up front, so a mistake costs nothing rather than a finished run with nowhere to write. */
export function parseBenchOptions(raw: RawBenchOptions): BenchPlan {
  const targets = parseTargets(raw.target ?? []);
  const requests = positiveInt('--requests', raw.requests, BENCH_DEFAULTS.requests);
  const concurrency = positiveInt('--concurrency', raw.concurrency, BENCH_DEFAULTS.concurrency);
  const warmup = nonNegativeInt('--warmup', raw.warmup, BENCH_DEFAULTS.warmup);
  const rounds = positiveInt('--rounds', raw.rounds, BENCH_DEFAULTS.rounds);
  if (rounds > requests) throw new BenchUsageError(`--rounds: ${rounds} rounds cannot split ${requests} requests (at most one round per request)`);
  const timeoutMs = positiveInt('--timeout', raw.timeout, BENCH_DEFAULTS.timeoutMs);
  const era = (raw.era ?? 'auto') as BenchEra;
  if (!ERAS.includes(era)) throw new BenchUsageError(`--era: expected one of ${ERAS.join(', ')}, got "${raw.era}"`);
  if (raw.tool !== undefined && raw.tool.trim() === '') throw new BenchUsageError('--tool: expected a tool name');
  // Arguments without a tool would be silently ignored (tools/list takes none): say so instead.
  if (raw.args !== undefined && raw.tool === undefined) throw new BenchUsageError('--args needs --tool (without --tool the bench sends tools/list)');
  const args = parseArgsJson(raw.args);
  return {
    targets,
    ...(raw.tool !== undefined ? { tool: raw.tool } : {}),
    args,
    requests,
    concurrency,
    warmup,
    rounds,
    era,
    timeoutMs,
    ...(raw.token ? { token: raw.token } : {}),
    ...(raw.report !== undefined ? { reportPath: outputPath('--report', raw.report) } : {}),
    ...(raw.json !== undefined ? { jsonPath: outputPath('--json', raw.json) } : {}),
  };
}

export function parseTargets(specs: readonly string[]): BenchTarget[] {
  if (specs.length === 0) throw new BenchUsageError('--target: at least one is required, as name=URL (e.g. --target local=http://127.0.0.1:3000/mcp)');
  const seen = new Set<string>();
  return specs.map((spec) => {
    const eq = spec.indexOf('=');
    if (eq <= 0) throw new BenchUsageError(`--target "${spec}": expected name=URL (e.g. local=http://127.0.0.1:3000/mcp)`);
    const name = spec.slice(0, eq).trim();
    const rawUrl = spec.slice(eq + 1).trim();
    // Names end up in terminal tables and file reports; control characters would garble both.
    // eslint-disable-next-line no-control-regex
    if (name === '' || /[\u0000-\u001f\u007f-\u009f]/.test(name)) throw new BenchUsageError(`--target "${spec}": the name must be non-empty printable text`);
    if (name.length > 40) throw new BenchUsageError(`--target "${spec}": the name is longer than 40 characters`);
    if (seen.has(name)) throw new BenchUsageError(`--target: the name "${name}" is used twice; each target needs its own name`);
    seen.add(name);
    let url: URL;
    try {
      url = new URL(rawUrl);
    } catch {
      throw new BenchUsageError(`--target ${name}: "${rawUrl}" is not a valid URL`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new BenchUsageError(`--target ${name}: expected an http:// or https:// URL, got "${rawUrl}"`);
    return { name, url, displayUrl: maskCredentials(url) };
  });
}

function maskCredentials(url: URL): string {
  if (!url.username && !url.password) return url.href;
  const copy = new URL(url.href);
  copy.username = '***';
  copy.password = '';
  return copy.href;
}

function parseArgsJson(text: string | undefined): Record<string, unknown> {
  if (text === undefined) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new BenchUsageError(`--args: not valid JSON (${(err as Error).message})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new BenchUsageError('--args: expected a JSON object, e.g. {"message":"hi"}');
  return value as Record<string, unknown>;
}

function positiveInt(flag: string, text: string | undefined, fallback: number): number {
  const n = integer(flag, text, fallback);
  if (n < 1) throw new BenchUsageError(`${flag}: expected a positive integer, got "${text}"`);
  return n;
}

function nonNegativeInt(flag: string, text: string | undefined, fallback: number): number {
  const n = integer(flag, text, fallback);
  if (n < 0) throw new BenchUsageError(`${flag}: expected 0 or a positive integer, got "${text}"`);
  return n;
}

function integer(flag: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  // Number() alone would take "", "1e3" and " 7"; a bench count should be written plainly.
  if (!/^-?\d+$/.test(text.trim())) throw new BenchUsageError(`${flag}: expected a positive integer, got "${text}"`);
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw new BenchUsageError(`${flag}: "${text}" is too large`);
  return n;
}

/** Checked before the run: finding out that the folder is missing after minutes of load would waste them. */
function outputPath(flag: string, path: string): string {
  if (path.trim() === '') throw new BenchUsageError(`${flag}: expected a file path`);
  const full = resolve(path);
  const dir = dirname(full);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new BenchUsageError(`${flag}: the folder ${dir} does not exist`);
  if (existsSync(full) && statSync(full).isDirectory()) throw new BenchUsageError(`${flag}: ${full} is a folder, expected a file path`);
  return full;
}
