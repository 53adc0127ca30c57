import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../src/config/index.js';
import { startOutlet, type OutletRuntime } from '../../src/outlet/runtime.js';
import { silentLogger } from '../../src/observability/logger.js';
import { connectHttpClient, eventually, waitReady } from '../helpers/outlet.js';
import { TINY } from '../helpers/servers.js';

// Plug and play: a server added to the watched config file appears to an open client session
// (via tools/list_changed) and disappears when removed, without the client reconnecting; the
// untouched server keeps its process; an invalid edit is refused and the running config stays.
const dir = mkdtempSync(join(tmpdir(), 'outlet-reload-'));
const configPath = join(dir, 'outlet.config.json');
const base = { stays: { command: process.execPath, args: [TINY], env: { TINY_TOOLS: 'steady' } } };
const added = { ...base, arrives: { command: process.execPath, args: [TINY], env: { TINY_TOOLS: 'fresh' } } };

let outlet: OutletRuntime;
let client: Client;
let listChanges = 0;

function writeConfig(servers: unknown): void {
  writeFileSync(configPath, JSON.stringify({ servers }));
}

async function toolNames(): Promise<string[]> {
  return (await client.listTools()).tools.map((t) => t.name).sort();
}

beforeAll(async () => {
  writeConfig(base);
  outlet = await startOutlet({ config: await loadConfigFile(configPath), configPath, host: '127.0.0.1', port: 0, logger: silentLogger() });
  await waitReady(outlet.url);
  client = await connectHttpClient(`${outlet.url}/mcp`, '2025-11-25');
  client.setNotificationHandler('notifications/tools/list_changed', () => {
    listChanges++;
  });
  // A 2025 client receives server notifications on its GET stream: give it a moment to open.
  await client.listTools();
});

afterAll(async () => {
  await client?.close();
  await outlet?.close();
});

describe('hot reload from the watched file', () => {
  it('adds a server: the open session is told and sees its tools', async () => {
    const stayingPid = outlet.gateway.supervisor.get('stays')!.status().connectedAt;
    const before = listChanges;
    writeConfig(added);
    await eventually(() => listChanges > before);
    expect(await toolNames()).toEqual(['arrives__fresh', 'stays__steady']);
    // the untouched server was not restarted
    expect(outlet.gateway.supervisor.get('stays')!.status().connectedAt).toBe(stayingPid);
  });

  it('removes it again: the session is told and the tools are gone', async () => {
    const before = listChanges;
    writeConfig(base);
    await eventually(() => listChanges > before);
    expect(await toolNames()).toEqual(['stays__steady']);
  });

  it('refuses an invalid edit and keeps serving the running config', async () => {
    writeFileSync(configPath, JSON.stringify({ servers: { stays: { command: 42 } } }));
    await expect(outlet.reload()).rejects.toThrow('servers.stays.command: expected string, got number');
    expect(await toolNames()).toEqual(['stays__steady']);
    writeConfig(base);
  });
});

describe('POST /api/reload', () => {
  it('applies the file and reports what changed', async () => {
    writeConfig(added);
    const res = await fetch(`${outlet.url}/api/reload`, { method: 'POST' });
    const body = (await res.json()) as { ok: boolean; added: string[] };
    expect(res.status).toBe(200);
    expect(body.ok).toBe(true);
    expect(await toolNames()).toContain('stays__steady');
  });

  it('answers 400 with the reason for an invalid file', async () => {
    writeFileSync(configPath, '{"servers": {"x": {"comand": "node"}}}');
    const res = await fetch(`${outlet.url}/api/reload`, { method: 'POST' });
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toContain('servers.x.comand: unknown key (did you mean \\"command\\"?)');
    writeConfig(base);
  });
});
