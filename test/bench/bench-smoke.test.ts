// CI smoke of the benchmark harness (bench/run.ts --smoke): tiny counts, one round, configurations
// a, b and c. Asserts only that each configuration produced numbers and no errors; no timing
// assertions (the machine is shared and noisy).
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { ConfigRun } from '../../bench/lib/results.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const outDir = mkdtempSync(join(tmpdir(), 'outlet-bench-smoke-'));

afterAll(() => rmSync(outDir, { recursive: true, force: true }));

function runHarness(): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      ['--import', 'tsx', 'bench/run.ts', '--smoke', '--out', outDir],
      { cwd: repoRoot, timeout: 55_000, maxBuffer: 16 * 1024 * 1024 },
      (err, _stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stderr }),
    );
    child.stdin?.end();
  });
}

describe('bench harness smoke', () => {
  it('measures a, b and c with tiny counts and no errors', { timeout: 60_000 }, async () => {
    const { code, stderr } = await runHarness();
    expect(code, stderr).toBe(0);

    const files = readdirSync(outDir);
    expect(files).toContain('latest.md');
    expect(files).toContain('latest.svg');
    const json = files.find((f) => f.endsWith('.json'));
    expect(json, `no results file in ${files.join(', ')}`).toBeDefined();
    const results = JSON.parse(readFileSync(join(outDir, json!), 'utf8')) as { runs: ConfigRun[] };

    for (const id of ['a', 'b', 'c'] as const) {
      const run = results.runs.find((r) => r.id === id);
      expect(run, `no run of ${id}`).toBeDefined();
      expect(run!.status, `${id}: ${run!.reason ?? ''}`).toBe('ok');
      expect(run!.totalErrors, `${id}: ${JSON.stringify({ seq: run!.sequential?.firstError, thr: run!.throughput?.map((t) => t.firstError), sdk: run!.sdk?.firstError, cold: run!.cold?.firstError })}`).toBe(0);
      expect(run!.sequential!.count).toBe(20);
      expect(run!.sequential!.p50Ms).toBeGreaterThan(0);
      expect(run!.throughput).toHaveLength(1);
      expect(run!.throughput![0]!.inflight).toBe(4);
      expect(run!.throughput![0]!.calls).toBe(40);
      expect(run!.throughput![0]!.callsPerSec).toBeGreaterThan(0);
      expect(run!.sdk!.count).toBeGreaterThan(0);
      expect(run!.cold!.samplesMs.length).toBeGreaterThan(0);
      expect(Number.isFinite(run!.cpu!.processUsPerCall)).toBe(true);
      expect(run!.idleRssMb).toBeGreaterThan(0);
      expect(run!.peakRssMb).toBeGreaterThan(0);
    }
  });
});

describe('/rpc bench smoke', () => {
  it('measures warm calls and a cold call\'s breakdown with tiny counts', { timeout: 60_000 }, async () => {
    const report = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      execFile(process.execPath, ['--import', 'tsx', 'bench/rpc/run.ts', '--warm', '10', '--cold', '2', '--json'], { cwd: repoRoot, timeout: 55_000 }, (err, stdout, stderr) =>
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });
    expect(report.code, report.stderr).toBe(0);
    const line = report.stdout.split('\n').find((l) => l.startsWith('{'));
    const json = JSON.parse(line!) as { warm: { count: number; p50: number }; named: { count: number }; cold: Record<string, { count: number; p50: number }> };
    expect(json.warm.count).toBe(10);
    expect(json.named.count).toBe(10);
    for (const part of ['total', 'server', 'spawn', 'handshake', 'connect', 'call']) {
      expect(json.cold[part]!.count, part).toBe(2);
      expect(Number.isFinite(json.cold[part]!.p50), part).toBe(true);
    }
  });
});
