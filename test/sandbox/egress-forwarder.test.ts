import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The in-sandbox forwarder on its own (no bwrap): it must be invisible on the server's stdio, pass
// signals on, end as the server ended, and relay its loopback port to the Unix socket.
const FORWARDER = fileURLToPath(new URL('../../src/sandbox/egress-forwarder.cjs', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'outlet-forwarder-test-'));
const socketPath = join(dir, 'proxy.sock');
let fakeProxy: Server;
const received: string[] = [];

beforeAll(async () => {
  // Stands in for the gateway's proxy: records what arrives and answers with it.
  fakeProxy = createServer((socket) => socket.setEncoding('utf8').once('data', (data: string) => (received.push(data), socket.end(`echo:${data}`))));
  await new Promise<void>((resolve) => fakeProxy.listen(socketPath, resolve));
});

afterAll(async () => {
  await new Promise<void>((resolve) => fakeProxy.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

function forward(childScript: string, env: Record<string, string> = {}): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, [FORWARDER, socketPath, '--', process.execPath, '-e', childScript], { env: { PATH: process.env.PATH ?? '', ...env } });
}

function finished(child: ChildProcessWithoutNullStreams): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  return new Promise((resolve) => child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
}

describe('the egress forwarder', () => {
  it('gives the server its stdio untouched and the proxy variables', async () => {
    const child = forward(
      `process.stdin.once('data', (d) => { process.stdout.write(JSON.stringify({ line: String(d), proxy: process.env.HTTP_PROXY, https: process.env.https_proxy, all: process.env.ALL_PROXY, noProxy: process.env.NO_PROXY, options: process.env.NODE_OPTIONS ?? null, held: process.env.MCP_OUTLET_HELD_NODE_OPTIONS ?? null })); process.exit(0); });`,
      { MCP_OUTLET_HELD_NODE_OPTIONS: '--no-deprecation', HTTP_PROXY: 'http://entry.example:1' },
    );
    const done = finished(child);
    child.stdin.write('{"jsonrpc":"2.0"}\n');
    const { code, stdout, stderr } = await done;
    expect(code).toBe(0);
    expect(stderr).toBe('');
    const seen = JSON.parse(stdout) as Record<string, string | null>;
    expect(seen.line).toBe('{"jsonrpc":"2.0"}\n');
    expect(seen.proxy).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect([seen.https, seen.all]).toEqual([seen.proxy, seen.proxy]);
    expect(seen.noProxy).toBe('');
    // A held NODE_* variable reaches the server under its own name, and only there.
    expect(seen.options).toBe('--no-deprecation');
    expect(seen.held).toBeNull();
  });

  it('relays a connection to its loopback port to the Unix socket, byte for byte', async () => {
    const child = forward(
      `const u = new URL(process.env.HTTP_PROXY); const s = require('node:net').connect(Number(u.port), u.hostname); s.end('hello proxy'); let got = ''; s.on('data', (d) => (got += d)); s.on('close', () => process.stdout.write(got));`,
    );
    const { code, stdout } = await finished(child);
    expect(code).toBe(0);
    expect(stdout).toBe('echo:hello proxy');
    expect(received).toContain('hello proxy');
  });

  it('ends with the server\'s exit code, or of the signal that killed it', async () => {
    expect(await finished(forward('process.exit(7)'))).toMatchObject({ code: 7, signal: null });
    expect(await finished(forward(`process.kill(process.pid, 'SIGKILL')`))).toMatchObject({ code: null, signal: 'SIGKILL' });
  });

  it('passes SIGTERM on to the server', async () => {
    const child = forward(`process.on('SIGTERM', () => { process.stdout.write('server got SIGTERM'); process.exit(3); }); process.stdout.write('ready;'); setInterval(() => {}, 1000);`);
    const done = finished(child);
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    child.kill('SIGTERM');
    expect(await done).toMatchObject({ code: 3, stdout: 'ready;server got SIGTERM' });
  });

  it('says on stderr, and in its exit code, when it cannot start the server', async () => {
    const missing = spawn(process.execPath, [FORWARDER, socketPath, '--', '/nonexistent/server'], { env: {} });
    const outcome = await finished(missing as ChildProcessWithoutNullStreams);
    expect(outcome.code).toBe(127);
    expect(outcome.stderr).toMatch(/^egress forwarder: cannot start \/nonexistent\/server/);
    const usage = await finished(spawn(process.execPath, [FORWARDER, socketPath]) as ChildProcessWithoutNullStreams);
    expect(usage.code).toBe(125);
  });
});
