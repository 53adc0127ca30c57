import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { tokensCommand, type TokensIo, type TokensOptions } from '../../src/cli/tokens-command.js';
import type { CheckReport } from '../../src/cli/tokens-check.js';
import type { TokenRow, TokensReport } from '../../src/cli/tokens-report.js';
import type { OutletRuntime } from '../../src/outlet/runtime.js';
import { FILESYSTEM, MEMORY } from '../helpers/servers.js';
import { startTestOutlet, waitReady } from '../helpers/outlet.js';
import { everythingServer } from '../helpers/tool-fixtures.js';

// `outlet tokens` in process over the real npm servers in node_modules: once from a config file
// (the gateway started in this process), once against a running gateway (--url). The two must
// measure the same lists, and the figures must add up.

let dir: string;
let configPath: string;

function servers(): Record<string, unknown> {
  return {
    filesystem: { command: process.execPath, args: [FILESYSTEM, dir] },
    memory: { command: process.execPath, args: [MEMORY], env: { MEMORY_FILE_PATH: join(dir, 'memory.jsonl') }, sandbox: { mounts: [{ path: dir, mode: 'rw' }] } },
    everything: everythingServer(),
  };
}

async function run(opts: TokensOptions): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: TokensIo = { out: (t) => void (out += t), err: (t) => void (err += t) };
  const code = await tokensCommand({ waitMs: '30000', ...opts }, io);
  return { code, out, err };
}

beforeAll(() => {
  // The in-process gateway's logger and progress lines read it.
  vi.stubEnv('OUTLET_LOG_LEVEL', 'silent');
  dir = mkdtempSync(join(tmpdir(), 'outlet-tokens-'));
  configPath = join(dir, 'outlet.config.json');
  writeFileSync(configPath, JSON.stringify({ servers: servers() }));
});

afterAll(() => {
  vi.unstubAllEnvs();
  rmSync(dir, { recursive: true, force: true });
});

function expectConsistent(report: TokensReport): void {
  expect(report.servers.map((r) => r.name)).toEqual(['everything', 'filesystem', 'memory']);
  expect(report.down).toEqual([]);
  const sum = (key: keyof Omit<TokenRow, 'name' | 'savingPercent'>) => report.servers.reduce((n, r) => n + r[key], 0);
  expect(report.total).toMatchObject({ tools: sum('tools'), plainTokens: sum('plainTokens'), compactTokens: sum('compactTokens') });
  for (const row of [...report.servers, report.total, report.aggregate]) {
    expect(row.tools).toBeGreaterThan(0);
    expect(row.compactTokens).toBeLessThanOrEqual(row.plainTokens);
    expect(row.savingPercent).toBeCloseTo(((row.plainTokens - row.compactTokens) / row.plainTokens) * 100, 1);
  }
  // The aggregate lists the same tools, under namespaced names.
  expect(report.aggregate.tools).toBe(report.total.tools);
  expect(report.codeMode.tools).toBe(2);
  expect(report.codeMode.tokens).toBeGreaterThan(0);
  expect(report.codeMode.tokens).toBeLessThanOrEqual(300);
  expect(report.codeMode.ratio).toBeCloseTo(report.aggregate.plainTokens / report.codeMode.tokens, 1);
}

describe('outlet tokens --config', () => {
  let report: TokensReport & { check: CheckReport };

  beforeAll(async () => {
    const { code, out } = await run({ config: configPath, json: true, check: true, runs: '100' });
    expect(code).toBe(0);
    report = JSON.parse(out) as typeof report;
  }, 120_000);

  it('measures each server, their total and the aggregate, and the figures add up', () => {
    expectConsistent(report);
    // server-everything alone publishes more than a dozen tools: the lists were really read.
    expect(report.servers.find((r) => r.name === 'everything')!.tools).toBeGreaterThan(10);
  });

  it('--check compares every compacted schema with its original on inputs both accepted and rejected, and finds no difference', () => {
    const check = report.check;
    expect(check.tools).toBe(report.total.tools);
    expect(check.schemas).toBeGreaterThanOrEqual(check.tools);
    expect(check.schemas - check.unchanged).toBeGreaterThan(0);
    expect(check.accepted).toBeGreaterThan(0);
    expect(check.rejected).toBeGreaterThan(0);
    expect(check.failures).toEqual([]);
    expect(check.mismatches).toBe(0);
  });

  it('prints the table with one row per server, the total, the aggregate and the code-mode line', async () => {
    const { code, out } = await run({ config: configPath });
    expect(code).toBe(0);
    const rows = out.split('\n');
    for (const name of ['filesystem', 'memory', 'everything', 'total', '/mcp']) expect(rows.some((r) => r.startsWith(`${name} `))).toBe(true);
    const total = rows.find((r) => r.startsWith('total '))!.trim().split(/\s+/);
    expect(total.slice(1, 4).map(Number)).toEqual([report.total.tools, report.total.plainTokens, report.total.compactTokens]);
    expect(out).toMatch(new RegExp(`code mode \\(2 tools\\): ${report.codeMode.tokens} tokens`));
  }, 120_000);

  it('measures the same lists through a running gateway (--url)', async () => {
    let outlet: OutletRuntime | undefined;
    try {
      outlet = await startTestOutlet({ servers: servers() });
      await waitReady(outlet.url);
      const { code, out } = await run({ url: `${outlet.url}/mcp`, json: true });
      expect(code).toBe(0);
      const remote = JSON.parse(out) as TokensReport;
      expectConsistent(remote);
      expect(remote.servers).toEqual(report.servers);
      expect(remote.aggregate).toEqual(report.aggregate);
    } finally {
      await outlet?.close();
    }
  }, 120_000);
});

describe('outlet tokens: bad options', () => {
  it.each([
    [{ config: 'a.json', url: 'http://127.0.0.1:1/mcp' }, /give one, not both/],
    [{ runs: '0' }, /--runs: expected a whole number of at least 1/],
    [{ waitMs: 'soon' }, /--wait-ms/],
    [{ url: 'not a url' }, /--url: not a URL/],
  ])('%j is refused as bad input (INVALID_PARAMS, exit 2) before anything starts', async (opts, message) => {
    await expect(run(opts)).rejects.toMatchObject({ code: 'INVALID_PARAMS', message: expect.stringMatching(message) as unknown });
  });
});
