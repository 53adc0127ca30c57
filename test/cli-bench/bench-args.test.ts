import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseBenchOptions } from '../../src/cli/bench/parse-bench-args.js';
import { runBenchCli } from '../../src/cli/bench/register.js';
import { captureIo } from './io.js';

// Bad input is refused before anything is contacted: exit code 2 and a message naming the option.
// The URLs point at a closed port on purpose: if validation let one through, the run would fail
// with exit code 1 instead of 2.
const URL_A = 'http://127.0.0.1:1/mcp';

async function rejected(argv: string[]): Promise<string> {
  const out = captureIo();
  const { exitCode, report } = await runBenchCli(argv, out.io);
  expect(report).toBeUndefined();
  expect(exitCode).toBe(2);
  expect(out.stdout()).toBe('');
  return out.stderr();
}

describe('outlet bench: bad input exits 2 with a clear message', () => {
  it.each([
    [['--target', 'http://127.0.0.1:1/mcp'], /--target "http:\/\/127\.0\.0\.1:1\/mcp": expected name=URL/],
    [['--target', '=http://127.0.0.1:1/mcp'], /expected name=URL/],
    [['--target', 'a=not a url'], /--target a: "not a url" is not a valid URL/],
    [['--target', 'a=ftp://example.com/mcp'], /expected an http:\/\/ or https:\/\/ URL/],
    [['--target', `a=${URL_A}`, '--target', `a=${URL_A}`], /the name "a" is used twice/],
    [[], /at least one is required/],
    [['--target', `a=${URL_A}`, '--tool', 't', '--args', '[1,2]'], /--args: expected a JSON object/],
    [['--target', `a=${URL_A}`, '--tool', 't', '--args', '"text"'], /--args: expected a JSON object/],
    [['--target', `a=${URL_A}`, '--tool', 't', '--args', '{nope'], /--args: not valid JSON/],
    [['--target', `a=${URL_A}`, '--args', '{}'], /--args needs --tool/],
    [['--target', `a=${URL_A}`, '--requests', '0'], /--requests: expected a positive integer, got "0"/],
    [['--target', `a=${URL_A}`, '--requests', '-3'], /--requests: expected a positive integer/],
    [['--target', `a=${URL_A}`, '--requests', '1.5'], /--requests: expected a positive integer, got "1.5"/],
    [['--target', `a=${URL_A}`, '--requests', 'ten'], /--requests: expected a positive integer, got "ten"/],
    [['--target', `a=${URL_A}`, '--concurrency', '0'], /--concurrency: expected a positive integer/],
    [['--target', `a=${URL_A}`, '--concurrency', '2x'], /--concurrency: expected a positive integer/],
    [['--target', `a=${URL_A}`, '--warmup', '-1'], /--warmup: expected 0 or a positive integer/],
    [['--target', `a=${URL_A}`, '--requests', '3', '--rounds', '4'], /--rounds: 4 rounds cannot split 3 requests/],
    [['--target', `a=${URL_A}`, '--era', '2024-01-01'], /--era: expected one of 2025-11-25, 2026-07-28, auto/],
    [['--target', `a=${URL_A}`, '--report', '/nonexistent-folder-for-bench/out.html'], /--report: the folder \/nonexistent-folder-for-bench does not exist/],
  ])('%j', async (argv, message) => {
    expect(await rejected(argv)).toMatch(message);
  });

  it('maps commander usage errors (unknown option, missing value) to 2 as well', async () => {
    expect(await rejected(['--target', `a=${URL_A}`, '--bogus'])).toMatch(/unknown option '--bogus'/);
    expect(await rejected(['--target'])).toMatch(/argument missing/);
  });
});

describe('parseBenchOptions', () => {
  it('applies the defaults and keeps targets in order', () => {
    const plan = parseBenchOptions({ target: ['local=http://127.0.0.1:3000/mcp', 'lambda=https://abc.lambda-url.eu-west-1.on.aws/mcp'] });
    expect(plan.targets.map((t) => t.name)).toEqual(['local', 'lambda']);
    expect(plan).toMatchObject({ requests: 100, concurrency: 1, warmup: 5, rounds: 1, era: 'auto', timeoutMs: 30_000, args: {} });
    expect(plan.tool).toBeUndefined();
  });

  it('splits at the first "=" only, so URLs with query strings survive', () => {
    const plan = parseBenchOptions({ target: ['q=http://127.0.0.1:3000/mcp?x=1&y=2'], tool: 't', args: '{"a":1}' });
    expect(plan.targets[0]!.url.search).toBe('?x=1&y=2');
    expect(plan.args).toEqual({ a: 1 });
  });

  it('masks credentials in the URL shown in reports', () => {
    const plan = parseBenchOptions({ target: ['c=https://user:secret@example.com/mcp'] });
    expect(plan.targets[0]!.displayUrl).toBe('https://***@example.com/mcp');
    expect(plan.targets[0]!.url.password).toBe('secret');
  });

  it('resolves output paths in an existing folder', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-args-'));
    const plan = parseBenchOptions({ target: [`a=${URL_A}`], report: join(dir, 'r.html'), json: join(dir, 'r.json') });
    expect(plan.reportPath).toBe(join(dir, 'r.html'));
    expect(plan.jsonPath).toBe(join(dir, 'r.json'));
  });
});
