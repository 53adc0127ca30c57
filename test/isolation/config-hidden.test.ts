import { chmodSync, existsSync, mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../src/config/index.js';
import { startOutlet, type OutletRuntime } from '../../src/outlet/runtime.js';
import { silentLogger } from '../../src/observability/logger.js';
import { detectSandboxSupport } from '../../src/sandbox/index.js';
import { connectHttpClient, waitReady } from '../helpers/outlet.js';
import { REPO_ROOT, TINY } from '../helpers/servers.js';
import { callTool, hostile, probeOutcome, readyOf } from './helpers.js';

// A config directory as operators lay it out: the config file (holding another server's secret),
// the server's own script next to it, and the gateway's audit file. The probe server's cwd is that
// directory (the default) and its script lives there, so both bind it; the gateway's files must
// stay out of its view all the same, by absolute path, relative path, symlink or listing.
const SECRET = `sk-other-server-${process.pid}-7f3a`;
const support = detectSandboxSupport();
let dir: string;
let configPath: string;
let outlet: OutletRuntime | undefined;
let client: Client;

function writeConfig(path: string): void {
  const probe = (extraMounts: Array<{ path: string }> = []) => ({
    command: process.execPath,
    args: [join(dir, 'launch.mjs')],
    env: { PROBE_SCRIPT: hostile('fs-probe.mjs') },
    // The repository holds the probe and its dependencies; the config dir is bound only as cwd and script folder.
    sandbox: { mounts: [{ path: REPO_ROOT }, ...extraMounts] },
  });
  const config = {
    reload: { watch: false },
    audit: { file: './audit.jsonl' },
    servers: {
      other: { command: process.execPath, args: [TINY], env: { OTHER_SECRET: SECRET } },
      probe: probe(),
      named: probe([{ path: configPath }]),
    },
  };
  writeFileSync(path, JSON.stringify(config, null, 2), { mode: 0o644 });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'outlet-cfg-'));
  chmodSync(dir, 0o755); // reachable by the sandbox uid, as a config directory usually is
  configPath = join(dir, 'outlet.json');
  writeFileSync(join(dir, 'launch.mjs'), '// the server\'s own script\nawait import(process.env.PROBE_SCRIPT);\n', { mode: 0o644 });
  writeConfig(configPath);
  symlinkSync('outlet.json', join(dir, 'alias.json'));
  outlet = await startOutlet({ config: await loadConfigFile(configPath), configPath, host: '127.0.0.1', port: 0, logger: silentLogger() });
  await waitReady(outlet.url);
  client = await connectHttpClient(`${outlet.url}/mcp`, '2025-11-25');
});

afterAll(async () => {
  await client?.close();
  await outlet?.close();
  rmSync(dir, { recursive: true, force: true });
});

const read = async (tool: string, path: string) => probeOutcome(await callTool(client, tool, { path }));

describe('a configured server and the gateway\'s own files', () => {
  it('runs where bubblewrap works, with the probe in the config directory', async () => {
    expect(support.bwrap.usable, support.bwrap.error ?? 'bwrap is not usable').toBe(true);
    expect(existsSync(join(dir, 'audit.jsonl')), 'the gateway opened its audit file').toBe(true);
    expect((await readyOf(outlet!.url, 'probe'))?.sandbox?.enforced.join('\n')).toMatch(new RegExp(`^hidden: ${configPath}, `, 'm'));
  });

  it('cannot read the config file by absolute path, from its cwd, or through a symlink', async () => {
    for (const path of [configPath, 'outlet.json', './outlet.json', join(dir, 'alias.json')]) {
      const outcome = await read('probe__read_file', path);
      expect(outcome, path).toMatchObject({ ok: false, code: 'ENOENT' });
      expect(JSON.stringify(outcome)).not.toContain(SECRET);
    }
  });

  it('cannot read the gateway\'s audit file, and does not see either in a listing', async () => {
    expect(await read('probe__read_file', join(dir, 'audit.jsonl'))).toMatchObject({ ok: false, code: 'ENOENT' });
    const listing = await read('probe__read_file', dir);
    expect(listing.ok).toBe(true);
    expect(listing.entries).toEqual(['launch.mjs']);
  });

  it('still reads its own script next to the config', async () => {
    expect(await read('probe__read_file', join(dir, 'launch.mjs'))).toMatchObject({ ok: true, text: expect.stringContaining('PROBE_SCRIPT') });
  });

  it('does not see a config saved anew (written to a temp file and renamed over) while it runs', async () => {
    const temp = join(dir, '.outlet.json.tmp');
    writeConfig(temp);
    renameSync(temp, configPath);
    for (const path of [configPath, join(dir, '.outlet.json.tmp')]) {
      expect(await read('probe__read_file', path), path).toMatchObject({ ok: false, code: 'ENOENT' });
    }
  });

  it('reads the config file when a sandbox mount names it', async () => {
    const outcome = await read('named__read_file', configPath);
    expect(outcome).toMatchObject({ ok: true });
    expect(outcome.text).toContain(SECRET);
  });
});
