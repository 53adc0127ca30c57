import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BenchReport, TargetStats } from '../../src/cli/bench/bench-types.js';
import { runBenchCli } from '../../src/cli/bench/register.js';
import type { OutletRuntime } from '../../src/outlet/runtime.js';
import { startTestOutlet, waitReady } from '../helpers/outlet.js';
import { freePort, TINY } from '../helpers/servers.js';
import { captureIo } from './io.js';

// `outlet bench` run in-process against two real outlets, each with the real tiny stdio server
// (publishing tiny__echo); outlet A also runs a server whose only tool always reports isError.
// Figures are checked for consistency, never against wall-clock values.
const REFUSING = fileURLToPath(new URL('./fixtures/refusing-tool-server.mjs', import.meta.url));
const N = 24;

let outletA: OutletRuntime;
let outletB: OutletRuntime;
const dir = mkdtempSync(join(tmpdir(), 'outlet-bench-'));

beforeAll(async () => {
  const tiny = { command: process.execPath, args: [TINY], env: { TINY_TOOLS: 'echo' } };
  [outletA, outletB] = await Promise.all([
    startTestOutlet({ servers: { tiny, refusing: { command: process.execPath, args: [REFUSING] } } }),
    startTestOutlet({ servers: { tiny } }),
  ]);
  await Promise.all([waitReady(outletA.url), waitReady(outletB.url)]);
});

afterAll(async () => {
  await Promise.all([outletA?.close(), outletB?.close()]);
});

async function bench(argv: string[], options: { tty?: boolean } = {}) {
  const out = captureIo(options);
  const { exitCode, report } = await runBenchCli(argv, out.io);
  expect(report).toBeDefined();
  return { exitCode, report: report!, stdout: out.stdout(), stderr: out.stderr() };
}

const byName = (report: BenchReport, name: string): TargetStats => report.targets.find((t) => t.name === name)!;

function expectAllOk(t: TargetStats, n: number) {
  expect([t.requests, t.ok, t.toolErrors, t.errors, t.successRate]).toEqual([n, n, 0, 0, 1]);
  expect(t.errorBreakdown).toEqual([]);
  const l = t.latencyMs!;
  expect(l.count).toBe(n);
  expect(l.min).toBeGreaterThan(0);
  expect(l.min).toBeLessThanOrEqual(l.median);
  expect(l.median).toBeLessThanOrEqual(l.p95);
  expect(l.p95).toBeLessThanOrEqual(l.p99);
  expect(l.p99).toBeLessThanOrEqual(l.max);
  expect(l.mean).toBeGreaterThanOrEqual(l.min);
  expect(l.mean).toBeLessThanOrEqual(l.max);
  expect(t.histogram.reduce((a, b) => a + b, 0)).toBe(n);
  expect(t.throughputPerSec).toBeGreaterThan(0);
  expect(t.connectMs).toBeGreaterThan(0);
  // The cold figure runs from connect start to the first answered call, so it includes the connect.
  expect(t.firstResultMs).toBeGreaterThanOrEqual(t.connectMs!);
}

describe('outlet bench against two outlets', () => {
  it('without --tool, times tools/list on the aggregate and the per-server endpoint, and says so', async () => {
    const r = await bench(['--target', `a=${outletA.url}/mcp`, '--target', `b=${outletB.url}/servers/tiny/mcp`, '--requests', String(N), '--concurrency', '4', '--warmup', '2']);
    expect(r.exitCode).toBe(0);
    expect(r.report.parameters.method).toBe('tools/list');
    expect(r.stdout).toContain('tools/list (no --tool given)');
    expectAllOk(byName(r.report, 'a'), N);
    expectAllOk(byName(r.report, 'b'), N);
    // The histogram buckets are shared, so both targets' counts line up bucket for bucket.
    expect(r.report.targets.every((t) => t.histogram.length === r.report.histogramEdgesMs.length - 1)).toBe(true);
    // Terminal: targets as columns, one row per figure, and the text histogram.
    expect(r.stdout).toMatch(/^\s+a\s+b$/m);
    expect(r.stdout).toMatch(/^p99\s+\S+ ms\s+\S+ ms$/m);
    expect(r.stdout).toContain('latency of successful calls (log buckets):');
    expect(r.stdout).toContain('no errors');
    // stderr is not a TTY here: one plain line per target, no carriage-return redraws.
    expect(r.stderr).toContain(`bench a: ${N} calls in`);
    expect(r.stderr).toContain(`bench b: ${N} calls in`);
    expect(r.stderr).not.toContain('\r');
  });

  it('calls a tool in interleaved rounds on the 2026-07-28 era, and writes every figure as JSON', async () => {
    const json = join(dir, 'rounds.json');
    const r = await bench(
      ['--target', `a=${outletA.url}/mcp`, '--target', `b=${outletB.url}/mcp`, '--tool', 'tiny__echo', '--args', '{"message":"hi"}', '--requests', String(N), '--concurrency', '3', '--rounds', '3', '--era', '2026-07-28', '--json', json],
      { tty: true },
    );
    expect(r.exitCode).toBe(0);
    for (const name of ['a', 'b']) {
      expectAllOk(byName(r.report, name), N);
      expect(byName(r.report, name).protocolVersion).toBe('2026-07-28');
    }
    expect(r.stdout).toContain('tools/call tiny__echo {"message":"hi"}');
    expect(r.stdout).toContain('3 interleaved rounds');
    // On a TTY the progress bar redraws in place, and is cleared before the table.
    expect(r.stderr).toContain('\r\x1b[2K[');
    expect(r.stderr).toContain('(round 3)');
    const written = JSON.parse(readFileSync(json, 'utf8')) as BenchReport;
    expect(written).toEqual(r.report);
    expect(written.parameters).toMatchObject({ method: 'tools/call', tool: 'tiny__echo', args: { message: 'hi' }, requests: N, concurrency: 3, rounds: 3, era: '2026-07-28' });
    expect(written.machine.node).toBe(process.version);
  });

  it('classifies a tool that reports isError as a tool error, not a protocol error', async () => {
    const r = await bench(['--target', `a=${outletA.url}/mcp`, '--tool', 'refusing__refuse', '--requests', '6', '--warmup', '0', '--era', '2025-11-25']);
    expect(r.exitCode).toBe(1);
    const a = byName(r.report, 'a');
    expect(a.protocolVersion).toBe('2025-11-25');
    expect([a.requests, a.ok, a.toolErrors, a.errors, a.latencyMs]).toEqual([6, 0, 6, 0, null]);
    expect(a.errorBreakdown).toEqual([{ kind: 'tool', label: 'tool error (isError)', count: 6, example: 'refused: this tool always fails' }]);
    expect(r.stdout).toContain('a  tool error (isError)  ×6  e.g. refused: this tool always fails');
  });

  it('classifies an unknown tool by JSON-RPC code and outletCode', async () => {
    const r = await bench(['--target', `a=${outletA.url}/mcp`, '--target', `b=${outletB.url}/servers/tiny/mcp`, '--tool', 'nope__missing', '--requests', '5', '--warmup', '1']);
    expect(r.exitCode).toBe(1);
    for (const t of r.report.targets) expect([t.requests, t.ok, t.toolErrors, t.errors]).toEqual([5, 0, 0, 5]);
    expect(byName(r.report, 'a').errorBreakdown).toEqual([
      { kind: 'rpc', label: 'JSON-RPC -32602 UNKNOWN_TOOL', rpcCode: -32602, outletCode: 'UNKNOWN_TOOL', count: 5, example: 'Unknown tool "nope__missing"' },
    ]);
    // The per-server endpoint currently relays the upstream's own answer (-32602, no outletCode):
    // the breakdown keeps the two apart, which is the point of grouping by both.
    const b = byName(r.report, 'b').errorBreakdown;
    expect(b).toHaveLength(1);
    expect(b[0]).toMatchObject({ kind: 'rpc', rpcCode: -32602, count: 5 });
    expect(b[0]!.label).toMatch(/^JSON-RPC -32602\b/);
  });

  it('reports an unreachable target as 100% failed with the reason, and still runs the others', async () => {
    const closed = await freePort();
    const r = await bench(['--target', `dead=http://127.0.0.1:${closed}/mcp`, '--target', `a=${outletA.url}/mcp`, '--tool', 'tiny__echo', '--requests', '8', '--timeout', '5000']);
    expect(r.exitCode).toBe(1);
    const dead = byName(r.report, 'dead');
    expect([dead.requests, dead.ok, dead.errors, dead.successRate, dead.connectMs, dead.latencyMs]).toEqual([8, 0, 8, 0, null, null]);
    expect(dead.errorBreakdown).toHaveLength(1);
    expect(dead.errorBreakdown[0]).toMatchObject({ kind: 'transport', label: 'transport ECONNREFUSED', count: 8 });
    expect(dead.errorBreakdown[0]!.example).toContain('ECONNREFUSED');
    expectAllOk(byName(r.report, 'a'), 8);
    expect(r.stderr).toMatch(/bench dead: could not connect: transport ECONNREFUSED/);
    expect(r.stdout).toMatch(/^success\s+0%\s+100%$/m);
  });

  it('writes one self-contained HTML report with inline SVG and escaped names', async () => {
    const reportDir = mkdtempSync(join(tmpdir(), 'outlet-bench-html-'));
    const file = join(reportDir, 'report.html');
    const r = await bench(['--target', `<b>x</b>=${outletA.url}/mcp`, '--target', `b=${outletB.url}/servers/tiny/mcp`, '--requests', '10', '--report', file]);
    expect(r.exitCode).toBe(0);
    expect(readdirSync(reportDir)).toEqual(['report.html']);
    const html = readFileSync(file, 'utf8');
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html.match(/<svg /g)).toHaveLength(2); // histogram and percentiles
    // Outside text has every "<" escaped, so each "<" left opens one of our tags: none may load anything.
    expect(html).not.toMatch(/<script|<link|<img|<iframe|<[^>]*\s(src|href)=|url\(|@import/i);
    expect(html).not.toContain('<b>x</b>');
    expect(html).toContain('&lt;b&gt;x&lt;/b&gt;');
    for (const section of ['Summary', 'Latency histogram', 'Percentiles', 'Errors', 'Parameters', 'Machine']) expect(html).toContain(`<h2>${section}</h2>`);
    expect(html).toContain(process.version);
    expect(html).toContain(r.report.generatedAt);
    expect(html).toContain(`${outletB.url}/servers/tiny/mcp`);
  });
});

describe('outlet bench --token', () => {
  let server: Server;
  const seen: (string | undefined)[] = [];
  beforeAll(async () => {
    // A real HTTP endpoint that demands a different token: the bench must send the bearer header
    // and report the refusal by its HTTP status.
    server = createServer((req, res) => {
      seen.push(req.headers.authorization);
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"invalid_token"}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('sends Authorization: Bearer, reports 401 as such, and never writes the token out', async () => {
    const port = (server.address() as AddressInfo).port;
    const json = join(dir, 'token.json');
    const r = await bench(['--target', `guarded=http://127.0.0.1:${port}/mcp`, '--token', 's3cret-token', '--requests', '3', '--json', json]);
    expect(r.exitCode).toBe(1);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((h) => h === 'Bearer s3cret-token')).toBe(true);
    expect(byName(r.report, 'guarded').errorBreakdown[0]).toMatchObject({ kind: 'transport', label: 'transport HTTP 401', count: 3 });
    expect(r.report.parameters.authorization).toBe(true);
    expect(readFileSync(json, 'utf8')).not.toContain('s3cret-token');
    expect(r.stdout + r.stderr).not.toContain('s3cret-token');
  });
});
