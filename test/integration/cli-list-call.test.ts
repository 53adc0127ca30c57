import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutletRuntime } from '../../src/outlet/runtime.js';
import { runOutlet } from '../helpers/cli.js';
import { startTestOutlet, waitReady } from '../helpers/outlet.js';
import { EVERYTHING, TINY } from '../helpers/servers.js';

// `outlet list` and `outlet call`, both against a config file (servers started in-process) and
// against a running gateway (--url).
const dir = mkdtempSync(join(tmpdir(), 'outlet-cli-'));
const configPath = join(dir, 'outlet.config.json');
const servers = {
  everything: { command: process.execPath, args: [EVERYTHING, 'stdio'] },
  tiny: { command: process.execPath, args: [TINY], env: { TINY_TOOLS: 'hello' } },
};
let outlet: OutletRuntime;

beforeAll(async () => {
  writeFileSync(configPath, JSON.stringify({ servers }));
  outlet = await startTestOutlet({ servers });
  await waitReady(outlet.url);
});

afterAll(async () => {
  await outlet?.close();
});

describe.each([
  ['a config file', () => ['--config', configPath]],
  ['a running gateway', () => ['--url', `${outlet.url}/mcp`]],
])('against %s', (_label, target) => {
  it('outlet list prints the namespaced tools', async () => {
    const r = await runOutlet(['list', ...target()]);
    expect(r.code).toBe(0);
    const names = r.stdout.trim().split('\n').map((line) => line.split('\t')[0]);
    expect(names).toContain('everything__echo');
    expect(names).toContain('tiny__hello');
  });

  it('outlet call prints the result as JSON', async () => {
    const r = await runOutlet(['call', 'everything__echo', '--args', '{"message":"from the cli"}', ...target()]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ content: [{ type: 'text', text: 'Echo: from the cli' }] });
  });

  it('outlet call exits 1 on a tool error', async () => {
    // server-everything's get-sum with a wrong argument type answers with an error result or a JSON-RPC error
    const r = await runOutlet(['call', 'everything__get-sum', '--args', '{"a":"x","b":2}', ...target()]);
    expect(r.code).toBe(1);
  });

  it('outlet call exits 1 for an unknown tool and says which', async () => {
    const r = await runOutlet(['call', 'nope__nothing', ...target()]);
    expect(r.code).toBe(1);
    expect(r.stderr + r.stdout).toContain('nope__nothing');
  });
});

describe('outlet call argument checks', () => {
  it('refuses --args that are not a JSON object', async () => {
    const r = await runOutlet(['call', 'everything__echo', '--args', '[1,2]', '--config', configPath]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--args: expected a JSON object');
  });
});
