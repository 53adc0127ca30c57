import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { connectHttpClient, eventually } from '../helpers/outlet.js';
import { OUTLET_BIN, REPO_ROOT, TINY } from '../helpers/servers.js';

/** Descriptors the gateway may hold: enough to start and serve, few enough to exhaust from a test. */
const NOFILE = 160;

/** The gateway's direct children (its upstream processes), from /proc. */
function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** One tools/call through a fresh 2026-era client (no session to keep). */
async function callTool(url: string): Promise<string> {
  const client = await connectHttpClient(`${url}/mcp`, '2026-07-28');
  try {
    const result = await client.callTool({ name: 'tiny__ping_back', arguments: { n: 1 } });
    return JSON.stringify(result.content);
  } finally {
    await client.close();
  }
}

/** Sends GET /health on a kept-alive socket and resolves with the status line of the answer. */
function health(socket: Socket): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    const onData = (chunk: Buffer) => {
      text += chunk.toString('utf8');
      if (!text.includes('\r\n\r\n')) return;
      socket.off('data', onData);
      resolve(text.slice(0, text.indexOf('\r\n')));
    };
    socket.on('data', onData);
    socket.write('GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n');
  });
}

/** Opens a socket and resolves once it is connected, or with undefined when the connection failed. */
function openSocket(port: number): Promise<Socket | undefined> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.setTimeout(0);
      resolve(s);
    });
    s.once('error', () => resolve(undefined));
    s.setTimeout(3000, () => {
      s.destroy();
      resolve(undefined);
    });
  });
}

describe('file-descriptor exhaustion', () => {
  let gateway: ChildProcess | undefined;
  const sockets: Socket[] = [];
  afterAll(() => {
    for (const s of sockets) s.destroy();
    if (gateway?.pid && alive(gateway.pid)) gateway.kill('SIGKILL');
  });

  it('survives an upstream restart with every descriptor taken, then serves again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'outlet-emfile-'));
    const configPath = join(dir, 'outlet.json');
    writeFileSync(configPath, JSON.stringify({ reload: { watch: false }, http: { headersTimeoutMs: 60_000, bodyTimeoutMs: 60_000, keepAliveTimeoutMs: 60_000 }, servers: { tiny: { command: process.execPath, args: [TINY] } } }));
    // prlimit caps the gateway's own descriptors; the test process keeps its normal limit.
    gateway = spawn('prlimit', [`--nofile=${NOFILE}:${NOFILE}`, process.execPath, OUTLET_BIN, 'serve', '-c', configPath, '-p', '0'], {
      cwd: REPO_ROOT,
      env: { ...process.env, OUTLET_LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    gateway.stderr!.setEncoding('utf8');
    gateway.stderr!.on('data', (chunk: string) => (stderr += chunk));
    let exitCode: number | null | undefined;
    gateway.once('exit', (code) => (exitCode = code));
    const url = await eventually(() => /serving (http:\/\/[^\s]+)\/mcp/.exec(stderr)?.[1] ?? '', 30_000);
    const port = Number(new URL(url).port);
    await eventually(async () => (await fetch(`${url}/ready`)).status === 200, 30_000);
    const pid = gateway.pid!;
    const [upstream] = childrenOf(pid);
    expect(upstream).toBeDefined();

    // A connection the gateway already holds, kept alive across the exhaustion (the config keeps
    // every HTTP timeout long, so only exhaustion is at play here).
    const held = (await openSocket(port))!;
    expect(await health(held)).toBe('HTTP/1.1 200 OK');

    // Take every descriptor the gateway has left with idle connections.
    for (let i = 0; i < NOFILE + 40; i++) {
      const s = await openSocket(port);
      if (s) sockets.push(s);
    }
    // The upstream dies; its restart needs descriptors the gateway no longer has (EMFILE at spawn).
    process.kill(-upstream!, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 3000));
    expect(exitCode, `gateway exited; stderr:\n${stderr}`).toBeUndefined();
    expect(alive(pid)).toBe(true);
    // What it holds is still served while nothing new gets in.
    expect(await health(held)).toBe('HTTP/1.1 200 OK');
    held.destroy();

    // The held connections go away; the gateway restarts its upstream and serves calls again.
    for (const s of sockets.splice(0)) s.destroy();
    const answer = await eventually(() => callTool(url), 30_000, 250).catch((err: unknown) => {
      throw new Error(`${String(err)}; stderr:\n${stderr}`);
    });
    expect(answer).toContain('ping_back');
    expect(exitCode).toBeUndefined();
  }, 90_000);
});
