import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runOutlet } from '../helpers/cli.js';
import { readyOf } from '../../src/cli/remote-ready.js';
import { startTestOutlet } from '../helpers/outlet.js';
import { runOutletLoud } from './run-cli.js';
import { TINY } from '../helpers/servers.js';

// One-shot commands on a config whose servers take their time: they wait (bounded, with progress
// on stderr) instead of printing a short list and exiting 0, and name each server that did not
// come up with its state and last error (progress is printed at the default log level, warn;
// the failures at every level). The gateway's own list wait is set short here (500 ms)
// so the old behaviour, an answer before the slow server is up, would show.
const SLOW = fileURLToPath(new URL('./fixtures/slow-start-server.mjs', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'outlet-slow-start-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function config(name: string, servers: Record<string, unknown>): string {
  const path = join(dir, `${name}.json`);
  writeFileSync(path, JSON.stringify({ startup: { listWaitMs: 500 }, servers }));
  return path;
}

const mixed = config('mixed', {
  slow: { command: process.execPath, args: [SLOW], env: { SLOW_START_MS: '4000', TINY_TOOLS: 'late_tool' } },
  fast: { command: process.execPath, args: [TINY] },
  broken: { command: process.execPath, args: [TINY], env: { TINY_EXIT: '3' } },
});

describe('outlet list --config with servers still starting', () => {
  it('waits for the slow one, lists its tools, and exits 1 naming the one that did not come up and why', async () => {
    const r = await runOutletLoud(['list', '--config', mixed]);
    const names = r.stdout.split('\n').map((l) => l.split('\t')[0]);
    expect(names).toContain('slow__late_tool');
    expect(names).toContain('fast__ping_back');
    expect(r.stderr).toMatch(/outlet: waiting for \d server/);
    expect(r.stderr).toMatch(/slow \((connecting|installing)/);
    expect(r.stderr).toMatch(/outlet: server "broken" did not come up \(failed \d+ start attempts\): .*fatal: tiny-server was told to exit at start/);
    expect(r.stderr).not.toMatch(/server "(slow|fast)" did not come up/);
    expect(r.code).toBe(1);
  });

  it('names a server still starting when --wait-ms runs out, with its state', async () => {
    const glacial = config('glacial', {
      glacial: { command: process.execPath, args: [SLOW], env: { SLOW_START_MS: '60000' } },
      fast: { command: process.execPath, args: [TINY] },
    });
    const r = await runOutlet(['list', '--config', glacial, '--wait-ms', '1500'], { timeoutMs: 60_000 });
    expect(r.stdout).toContain('fast__ping_back');
    expect(r.stderr).toMatch(/outlet: server "glacial" did not come up within 1500 ms \(still connecting; raise --wait-ms to wait longer\)/);
    expect(r.code).toBe(1);
  });

  it('refuses a --wait-ms that is not a number of milliseconds, as a usage error', async () => {
    const r = await runOutlet(['list', '--config', mixed, '--wait-ms', 'soon']);
    expect(r.stderr).toContain('--wait-ms: expected a whole number of milliseconds, got "soon"');
    expect(r.code).toBe(2);
  });
});

describe('outlet list --url with a gateway whose servers are still starting', () => {
  it("waits on the gateway's /ready, lists the slow server's tools, and exits 1 naming the one that did not come up", async () => {
    const gateway = await startTestOutlet({
      startup: { listWaitMs: 500 },
      servers: {
        // Slow enough that the CLI (a fresh tsx process, seconds on a loaded machine) finds it still starting.
        slow: { command: process.execPath, args: [SLOW], env: { SLOW_START_MS: '8000', TINY_TOOLS: 'late_tool' } },
        broken: { command: process.execPath, args: [TINY], env: { TINY_EXIT: '3' } },
      },
    });
    try {
      const r = await runOutletLoud(['list', '--url', `${gateway.url}/mcp`]);
      expect(r.stdout.split('\n').map((l) => l.split('\t')[0])).toContain('slow__late_tool');
      expect(r.stderr).toMatch(/outlet: waiting for \d servers? to start .*slow \(connecting/);
      expect(r.stderr).toMatch(/outlet: server "broken" did not come up \(failed \d+ start attempts\): .*fatal: tiny-server was told to exit at start/);
      expect(r.code).toBe(1);
    } finally {
      await gateway.close();
    }
  });

  it('reads /ready beside the endpoint it was given', () => {
    expect(readyOf(new URL('http://h:1/mcp'))).toEqual({ url: new URL('http://h:1/ready') });
    expect(readyOf(new URL('http://h:1/outlet/servers/fs/mcp'))).toEqual({ url: new URL('http://h:1/outlet/ready'), server: 'fs' });
  });
});

describe('outlet call --config with servers still starting', () => {
  it("waits for the tool's own server and calls it", async () => {
    const r = await runOutlet(['call', 'slow__late_tool', '--config', mixed, '--args', '{"n":1}'], { timeoutMs: 90_000 });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ content: [{ type: 'text', text: JSON.stringify({ tool: 'late_tool', args: { n: 1 } }) }] });
  });

  it("says that the tool's server did not come up and why, not 'Unknown tool'", async () => {
    const r = await runOutlet(['call', 'broken__anything', '--config', mixed], { timeoutMs: 90_000 });
    expect(r.stderr).toMatch(/outlet: server "broken" did not come up \(failed \d+ start attempts\): .*exit/);
    expect(r.stderr).toContain('not calling "broken__anything": its server is not connected');
    expect(r.stderr).not.toMatch(/Unknown tool/i);
    expect(r.code).toBe(1);
  });
});
