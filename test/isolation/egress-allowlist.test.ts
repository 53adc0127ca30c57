import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Client } from '@modelcontextprotocol/client';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/index.js';
import { startOutlet, type OutletRuntime } from '../../src/outlet/runtime.js';
import { detectSandboxSupport } from '../../src/sandbox/index.js';
import { connectHttpClient, eventually, waitReady } from '../helpers/outlet.js';
import { TINY } from '../helpers/servers.js';
import { callTool, healthyAnswers, probeOutcome, processesWith, readyOf, uniqueMarker, zombieChildren } from './helpers.js';

// A sandboxed server whose network is an allowlist, through the whole gateway with real bwrap:
// it reaches a listed port on the host through the egress proxy (plain HTTP and CONNECT), is
// refused everything else with a 403 that says why, and has no direct route at all.
const FIXTURE = fileURLToPath(new URL('../sandbox/fixtures/egress-client.mjs', import.meta.url));
const support = detectSandboxSupport();
const marker = uniqueMarker('egress');
const hits = { listed: 0, unlisted: 0 };
const logLines: Array<{ level: number; msg: string; server?: string; host?: string; port?: number }> = [];
let listed: Server;
let unlisted: Server;
let port = 0;
let otherPort = 0;
let outlet: OutletRuntime | undefined;
let client: Client;

async function listen(count: keyof typeof hits): Promise<[Server, number]> {
  const server = createServer((req, res) => {
    hits[count]++;
    res.end(`${count} host answered ${req.method} ${req.url}`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return [server, (server.address() as { port: number }).port];
}

beforeAll(async () => {
  [listed, port] = await listen('listed');
  [unlisted, otherPort] = await listen('unlisted');
  const config = parseConfig({
    servers: {
      healthy: { command: process.execPath, args: [TINY] },
      net: { command: process.execPath, args: [FIXTURE, `--marker=${marker}`], sandbox: { backend: 'bubblewrap', network: { allow: [`127.0.0.1:${port}`] } } },
      // Each call goes to a fresh process, which has a sandbox (and an egress proxy) of its own.
      pooled: {
        command: process.execPath,
        args: [FIXTURE, `--marker=${marker}`],
        instances: { mode: 'per-request', spares: 1 },
        sandbox: { backend: 'bubblewrap', network: { allow: [`127.0.0.1:${port}`] } },
      },
    },
  });
  // startTestOutlet, with a logger that keeps what the sandbox reports instead of dropping it.
  const logger = pino({ level: 'info' }, { write: (line: string) => void logLines.push(JSON.parse(line) as (typeof logLines)[number]) });
  outlet = await startOutlet({ config, host: '127.0.0.1', port: 0, logger });
  await waitReady(outlet.url);
  client = await connectHttpClient(`${outlet.url}/mcp`, '2026-07-28');
});

afterAll(async () => {
  await client?.close();
  await outlet?.close();
  await Promise.all([listed, unlisted].map((s) => new Promise<void>((resolve) => (s ? s.close(() => resolve()) : resolve()))));
});

/** The egress socket of the running process, as /ready names it. */
async function socketPath(): Promise<string> {
  const line = (await readyOf(outlet!.url, 'net'))?.sandbox?.enforced.find((l) => l.startsWith('network: only')) ?? '';
  const path = /through the egress proxy \(([^;]+);/.exec(line)?.[1];
  if (!path) throw new Error(`no egress socket in /ready: ${line}`);
  return path;
}

describe('a sandboxed server with network { allow }, through the gateway', () => {
  it('runs on this host under bubblewrap (this fails, not skips, where bwrap cannot run)', async () => {
    expect(support.bwrap).toMatchObject({ usable: true });
    const status = await readyOf(outlet!.url, 'net');
    expect(status?.state).toBe('connected');
    expect(status?.sandbox?.backend).toBe('bubblewrap');
    expect(status?.sandbox?.enforced).toContain(
      `network: only 127.0.0.1:${port} through the egress proxy (${await socketPath()}; CONNECT and http:// requests, via HTTP_PROXY, HTTPS_PROXY and ALL_PROXY); no direct route out (own network namespace)`,
    );
    const env = probeOutcome(await callTool(client, 'net__proxy_env')).env as Record<string, string>;
    expect(env.HTTP_PROXY).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(env).toMatchObject({ HTTPS_PROXY: env.HTTP_PROXY, ALL_PROXY: env.HTTP_PROXY, http_proxy: env.HTTP_PROXY, https_proxy: env.HTTP_PROXY, NO_PROXY: '' });
  });

  it('reaches a listed destination with a plain HTTP request and through a CONNECT tunnel', async () => {
    const before = hits.listed;
    expect(probeOutcome(await callTool(client, 'net__fetch_url', { url: `http://127.0.0.1:${port}/plain` }))).toEqual({
      ok: true,
      status: 200,
      body: 'listed host answered GET /plain',
    });
    expect(probeOutcome(await callTool(client, 'net__fetch_tunnel', { url: `http://127.0.0.1:${port}/tunnelled` }))).toEqual({
      ok: true,
      tunnel: 200,
      status: 200,
      body: 'listed host answered GET /tunnelled',
    });
    expect(hits.listed).toBe(before + 2);
  });

  it('is refused a destination not on the list with a 403 naming it, counted in /ready and logged with the server name', async () => {
    const refusedBefore = (await readyOf(outlet!.url, 'net'))?.sandbox as { egressRefused?: number } | undefined;
    const body = `mcp-outlet egress proxy: "127.0.0.1:${otherPort}" is not on this server's network allowlist (sandbox.network.allow)\n`;
    expect(probeOutcome(await callTool(client, 'net__fetch_url', { url: `http://127.0.0.1:${otherPort}/` }))).toEqual({ ok: true, status: 403, body });
    expect(probeOutcome(await callTool(client, 'net__fetch_tunnel', { url: `http://127.0.0.1:${otherPort}/` }))).toEqual({ ok: true, tunnel: 403, body });
    expect(hits.unlisted).toBe(0);
    const status = (await readyOf(outlet!.url, 'net'))?.sandbox as { egressRefused?: number } | undefined;
    expect(status?.egressRefused).toBe((refusedBefore?.egressRefused ?? 0) + 2);
    // Logged once per destination (the count has every refusal), at warn, naming the server.
    const logged = logLines.filter((l) => l.msg.includes(`refused egress to 127.0.0.1:${otherPort}`));
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ level: 40, server: 'net', host: '127.0.0.1', port: otherPort });
    expect(logged[0]?.msg).toContain('sandbox of "net" refused egress');
    expect(await healthyAnswers(client)).toBe(true);
  });

  it('counts in /ready the refusals of a per-request server\'s processes, whose sandboxes are their own', async () => {
    const before = ((await readyOf(outlet!.url, 'pooled'))?.sandbox as { egressRefused?: number } | undefined)?.egressRefused;
    expect(before).toBe(0);
    expect(probeOutcome(await callTool(client, 'pooled__fetch_url', { url: `http://127.0.0.1:${otherPort}/` }))).toMatchObject({ ok: true, status: 403 });
    expect(probeOutcome(await callTool(client, 'pooled__fetch_url', { url: `http://127.0.0.1:${port}/pooled` }))).toMatchObject({ ok: true, status: 200 });
    const status = (await readyOf(outlet!.url, 'pooled'))?.sandbox as { egressRefused?: number } | undefined;
    expect(status?.egressRefused).toBe(1);
    expect(hits.unlisted).toBe(0);
  });

  it('is refused a name that resolves to the loopback but is not listed, though its address is', async () => {
    const before = hits.listed;
    expect(probeOutcome(await callTool(client, 'net__fetch_url', { url: `http://localhost:${port}/` }))).toEqual({
      ok: true,
      status: 403,
      body: `mcp-outlet egress proxy: "localhost:${port}" is not on this server's network allowlist (sandbox.network.allow)\n`,
    });
    expect(probeOutcome(await callTool(client, 'net__fetch_tunnel', { url: `http://localhost:${port}/` }))).toMatchObject({ ok: true, tunnel: 403 });
    expect(hits.listed).toBe(before);
  });

  it('cannot connect directly, even to the listed port: it has no route out', async () => {
    const before = hits.listed;
    // Its own loopback has nothing on that port; any other address has no route at all.
    expect(probeOutcome(await callTool(client, 'net__direct', { host: '127.0.0.1', port }))).toMatchObject({ ok: false, code: 'ECONNREFUSED' });
    expect(probeOutcome(await callTool(client, 'net__direct', { host: '1.1.1.1', port: 80 }))).toMatchObject({ ok: false, code: 'ENETUNREACH' });
    expect(hits.listed).toBe(before);
    expect(await healthyAnswers(client)).toBe(true);
  });

  it('leaves no process, socket or socket directory behind once the gateway closes', async () => {
    const socket = await socketPath();
    expect(existsSync(socket)).toBe(true);
    expect(processesWith(marker).length).toBeGreaterThan(0);
    await client.close();
    await outlet!.close();
    outlet = undefined;
    expect(await eventually(() => processesWith(marker).length === 0, 5000)).toBe(true);
    expect(zombieChildren()).toEqual([]);
    expect(existsSync(socket)).toBe(false);
    expect(existsSync(dirname(socket))).toBe(false);
  });
});
