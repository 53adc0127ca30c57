import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutletRuntime } from '../../src/outlet/runtime.js';
import { detectSandboxSupport } from '../../src/sandbox/index.js';
import { connectHttpClient, eventually, startTestOutlet, waitReady } from '../helpers/outlet.js';
import { REPO_ROOT, TINY } from '../helpers/servers.js';
import { callTool, healthyAnswers, hostileEntry, probeOutcome, processesWith, readyOf, uniqueMarker, zombieChildren } from './helpers.js';

// What a sandboxed server tries against the host, over MCP through the gateway: reach a port on
// 127.0.0.1, write outside its scratch dir, read a file outside its mounts, remount / read-write.
const support = detectSandboxSupport();
const markers = { net: uniqueMarker('net'), netHost: uniqueMarker('net-host'), fs: uniqueMarker('fs') };
const hostDir = mkdtempSync(join(tmpdir(), 'outlet-iso-host-'));
const dataDir = mkdtempSync(join(tmpdir(), 'outlet-iso-data-'));
let listener: Server;
let port: number;
let outlet: OutletRuntime | undefined;
let client: Client;

beforeAll(async () => {
  writeFileSync(join(hostDir, 'secret.txt'), 'host secret', { mode: 0o644 });
  // A root gateway runs the server as uid 65534: the data directory must be that uid's to write.
  if (support.root) chownSync(dataDir, 65534, 65534);
  listener = createServer((socket) => socket.end('hello\n'));
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  port = (listener.address() as { port: number }).port;
  outlet = await startTestOutlet({
    servers: {
      healthy: { command: process.execPath, args: [TINY] },
      net: hostileEntry('net-probe.mjs', markers.net),
      // The control: the same probe with the host network reaches the port, so a refusal above is the sandbox's doing.
      nethost: hostileEntry('net-probe.mjs', markers.netHost, { sandbox: { network: 'host' } }),
      // A directory argument is the server's data: bound writable (the sandbox's data-directory rule).
      fs: hostileEntry('fs-probe.mjs', markers.fs, {}, [dataDir]),
    },
  });
  await waitReady(outlet.url);
  client = await connectHttpClient(`${outlet.url}/mcp`, '2026-07-28');
});

afterAll(async () => {
  await client?.close();
  await outlet?.close();
  listener?.close();
  rmSync(hostDir, { recursive: true, force: true });
  rmSync(dataDir, { recursive: true, force: true });
});

describe('a sandboxed server against the host, through the gateway', () => {
  it('runs where bubblewrap works (.ci/run installs it)', () => {
    expect(support.bwrap.usable, support.bwrap.error ?? 'bwrap is not usable').toBe(true);
  });

  it('cannot connect to a port listening on the host\'s 127.0.0.1 (network "none")', async () => {
    expect((await readyOf(outlet!.url, 'net'))?.sandbox).toMatchObject({ backend: 'bubblewrap' });
    expect(probeOutcome(await callTool(client, 'net__connect', { host: '127.0.0.1', port }))).toMatchObject({ ok: false, code: 'ECONNREFUSED' });
    expect(probeOutcome(await callTool(client, 'nethost__connect', { host: '127.0.0.1', port }))).toMatchObject({ ok: true, connected: true });
    expect(await healthyAnswers(client)).toBe(true);
  });

  it('cannot write outside its scratch dir and data directory, and nothing lands on the host', async () => {
    const attempts = {
      [join(REPO_ROOT, `escape-${markers.fs}.txt`)]: 'EROFS',
      '/etc/outlet-escape': 'EROFS',
      '/usr/outlet-escape': 'EROFS',
      [join(hostDir, 'escape.txt')]: 'ENOENT', // the host's /tmp is not there: the sandbox has its own
    };
    for (const [path, code] of Object.entries(attempts)) {
      expect(probeOutcome(await callTool(client, 'fs__write_file', { path, text: 'escaped' })), path).toMatchObject({ ok: false, code });
      expect(existsSync(path), path).toBe(false);
    }
    expect(probeOutcome(await callTool(client, 'fs__write_file', { path: join(dataDir, 'note.txt'), text: 'mine' }))).toMatchObject({ ok: true, size: 4 });
    expect(readFileSync(join(dataDir, 'note.txt'), 'utf8')).toBe('mine');
    expect(await healthyAnswers(client)).toBe(true);
  });

  it('cannot read a file outside its mounts, even a world-readable one', async () => {
    for (const path of [join(hostDir, 'secret.txt'), '/etc/passwd', '/root']) {
      expect(probeOutcome(await callTool(client, 'fs__read_file', { path })), path).toMatchObject({ ok: false, code: 'ENOENT' });
    }
  });

  it('cannot remount / read-write', async () => {
    const outcome = probeOutcome(await callTool(client, 'fs__run', { command: 'mount', args: ['-o', 'remount,rw', '/'] }));
    expect(outcome.ok).toBe(false);
    // mount(8) makes the system call and reports the kernel's EPERM as "must be superuser" (exit 32).
    expect(String(outcome.message)).toMatch(/must be superuser|permission denied|not permitted/i);
    expect(probeOutcome(await callTool(client, 'fs__write_file', { path: '/outlet-escape', text: 'x' }))).toMatchObject({ ok: false, code: 'EROFS' });
    expect(await healthyAnswers(client)).toBe(true);
  });

  it('shows in /ready what its sandbox enforces', async () => {
    const status = await readyOf(outlet!.url, 'fs');
    expect(status?.sandbox?.backend).toBe('bubblewrap');
    const enforced = status?.sandbox?.enforced.join('\n') ?? '';
    expect(enforced).toMatch(/all capabilities dropped/);
    expect(enforced).toContain(`writable only`);
    expect(enforced).toContain(dataDir);
    expect(status?.killedForLimit).toEqual({ memory: 0, wallClock: 0, output: 0 });
  });

  it('leaves no process behind once the gateway closes', async () => {
    await client.close();
    await outlet!.close();
    outlet = undefined;
    for (const marker of Object.values(markers)) expect(await eventually(() => processesWith(marker).length === 0, 5000), marker).toBe(true);
    expect(zombieChildren()).toEqual([]);
  });
});
