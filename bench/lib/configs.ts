// The configurations under test. Each starts fresh, in its own process, on 127.0.0.1, in front of
// (or as) the same echo server, and knows how to open a lean session, an SDK client session and a
// cold connect-to-first-result.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { LeanHttpSession } from './lean-http.js';
import { LeanStdioSession } from './lean-stdio.js';
import { descendants } from './proc.js';
import { nowMs } from './stats.js';
import type { LeanSession } from './workload.js';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const ECHO_SERVER = join(REPO_ROOT, 'bench/fixtures/echo-server.mjs');
const SDK_HTTP_SERVER = join(REPO_ROOT, 'bench/fixtures/sdk-http-server.mjs');
const OUTLET_BIN = join(REPO_ROOT, 'bin/outlet.js');
const SUPERGATEWAY_BIN = join(REPO_ROOT, 'node_modules/supergateway/dist/index.js');
const MCP_PROXY_BIN = join(REPO_ROOT, 'node_modules/mcp-proxy/dist/bin/mcp-proxy.mjs');
const START_TIMEOUT_MS = 30_000;

export type ConfigId = 'a' | 'b' | 'c' | "c'" | 'd' | 'e' | 'f';

export interface SdkSession {
  call(text: string): Promise<void>;
  close(): Promise<void>;
}

export interface Running {
  /** The process charged with CPU and RSS: the gateway, or for a and b the server itself. */
  pid: number;
  openLean(maxSockets: number): Promise<LeanSession>;
  openSdk(): Promise<SdkSession>;
  /** Milliseconds from nothing to the first echo result on a fresh connection and session. */
  cold(): Promise<number>;
  stop(): Promise<void>;
  /** Facts worth keeping with the results (versions, modes, URLs). */
  info: Record<string, string>;
}

export interface ConfigDef {
  id: ConfigId;
  label: string;
  /** Why it cannot run, when it cannot. */
  unavailable?: string;
  start(options: StartOptions): Promise<Running>;
}

export interface StartOptions {
  /** Extra node flags for the gateway process (e.g. --cpu-prof). */
  nodeFlags?: string[];
  /** The outlet's CLI entry: a compiled main.js (see build.ts), src/cli/main.ts (with --import tsx), or bin/outlet.js. */
  outletEntry?: string;
  /** "default": the outlet's own default (bubblewrap when usable); "none": sandbox.backend none. */
  outletSandbox?: 'default' | 'none';
}

// ---------------------------------------------------------------------------------------------
// process helpers

interface Service {
  child: ChildProcess;
  match: RegExpExecArray;
  stderrTail: () => string;
}

/**
 * Spawns a process and resolves once a line of its stdout or stderr matches `ready`, or once
 * something accepts TCP connections on `ready.port`.
 */
async function spawnService(command: string, args: string[], ready: RegExp | { port: number }, env: NodeJS.ProcessEnv = process.env): Promise<Service> {
  const child = spawn(command, args, { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let tail = '';
  let pending = '';
  let resolveMatch: (m: RegExpExecArray) => void = () => undefined;
  const matched = new Promise<RegExpExecArray>((resolve) => (resolveMatch = resolve));
  let found = false;
  const onData = (chunk: Buffer) => {
    const text = chunk.toString('utf8');
    tail = (tail + text).slice(-4000);
    if (found) return;
    pending += text;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      const m = ready instanceof RegExp ? ready.exec(line) : null;
      if (m) {
        found = true;
        pending = '';
        resolveMatch(m);
        return;
      }
    }
    if (pending.length > 100_000) pending = '';
  };
  // Keep draining both pipes for the life of the process so it never blocks on a full pipe.
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const failed = new Promise<never>((_, reject) => {
    child.once('exit', (code, signal) => reject(new Error(`${command} ${args.join(' ')} exited (${code ?? signal}) before it was ready:\n${tail}`)));
    child.once('error', reject);
  });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`not ready in ${START_TIMEOUT_MS} ms:\n${tail}`)), START_TIMEOUT_MS);
  });
  const waited = ready instanceof RegExp ? matched : waitForTcp(ready.port).then(() => /.*/.exec('')!);
  try {
    const match = await Promise.race([waited, failed, timeout]);
    return { child, match, stderrTail: () => tail };
  } catch (err) {
    await stopProcessTree(child);
    throw err;
  } finally {
    clearTimeout(timer);
    failed.catch(() => undefined);
  }
}

function alive(pid: number): boolean {
  return existsSync(`/proc/${pid}`);
}

/** SIGTERM the process, SIGKILL after 5 s, then end any of its descendants still running. */
export async function stopProcessTree(child: ChildProcess): Promise<void> {
  if (child.pid === undefined) return;
  const family = descendants(child.pid);
  if (child.exitCode === null && child.signalCode === null) {
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }
  const left = family.filter(alive);
  for (const pid of left) {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
  const until = nowMs() + 2000;
  while (left.some(alive) && nowMs() < until) await sleep(50);
  for (const pid of left.filter(alive)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((r) => server.close(r));
  return port;
}

async function waitForTcp(port: number, timeoutMs = START_TIMEOUT_MS): Promise<void> {
  const until = nowMs() + timeoutMs;
  while (nowMs() < until) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    await sleep(50);
  }
  throw new Error(`nothing listening on 127.0.0.1:${port} after ${timeoutMs} ms`);
}

async function waitForHttp200(url: string, timeoutMs = START_TIMEOUT_MS): Promise<void> {
  const until = nowMs() + timeoutMs;
  let last = '';
  while (nowMs() < until) {
    try {
      const res = await fetch(url);
      last = `${res.status} ${await res.text()}`;
      if (res.status === 200) return;
    } catch (err) {
      last = (err as Error).message;
    }
    await sleep(100);
  }
  throw new Error(`${url} not 200 after ${timeoutMs} ms: ${last.slice(0, 300)}`);
}

// ---------------------------------------------------------------------------------------------
// client sides shared by every HTTP configuration

function checkEcho(result: { content?: unknown; isError?: boolean }, text: string): void {
  const content = result.content as { text?: string }[] | undefined;
  if (result.isError || content?.[0]?.text !== text) throw new Error(`unexpected echo: ${JSON.stringify(result).slice(0, 200)}`);
}

async function sdkHttpSession(url: string, toolName: string): Promise<SdkSession> {
  const client = new Client({ name: 'outlet-bench-sdk', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(url));
  await client.connect(transport);
  return {
    call: async (text) => checkEcho(await client.callTool({ name: toolName, arguments: { text } }), text),
    close: async () => {
      await transport.terminateSession().catch(() => undefined);
      await client.close();
    },
  };
}

function httpRunning(pid: number, url: string, toolName: string, stop: () => Promise<void>, info: Record<string, string>): Running {
  return {
    pid,
    openLean: (maxSockets) => LeanHttpSession.open(url, toolName, maxSockets),
    openSdk: () => sdkHttpSession(url, toolName),
    cold: async () => {
      const t = nowMs();
      const session = await LeanHttpSession.open(url, toolName, 1);
      try {
        await session.call('cold');
        return nowMs() - t;
      } finally {
        await session.close();
      }
    },
    stop,
    info: { url, ...info },
  };
}

// ---------------------------------------------------------------------------------------------
// the configurations

const stdioDirect: ConfigDef = {
  id: 'a',
  label: 'a. SDK server over stdio, direct (no HTTP)',
  async start() {
    const session = await LeanStdioSession.open(process.execPath, [ECHO_SERVER], REPO_ROOT, 'echo');
    return {
      pid: session.pid,
      // One long-lived stdio session; calls in flight are outstanding ids on the one pipe.
      openLean: () => Promise.resolve({ call: (text) => session.call(text), close: () => Promise.resolve() }),
      openSdk: async () => {
        const client = new Client({ name: 'outlet-bench-sdk', version: '1.0.0' });
        await client.connect(new StdioClientTransport({ command: process.execPath, args: [ECHO_SERVER], cwd: REPO_ROOT, stderr: 'ignore' }));
        return {
          call: async (text) => checkEcho(await client.callTool({ name: 'echo', arguments: { text } }), text),
          close: () => client.close(),
        };
      },
      cold: async () => {
        const t = nowMs();
        const fresh = await LeanStdioSession.open(process.execPath, [ECHO_SERVER], REPO_ROOT, 'echo');
        try {
          await fresh.call('cold');
          return nowMs() - t;
        } finally {
          await fresh.close();
        }
      },
      stop: () => session.close(),
      info: { note: 'cold includes spawning the server process' },
    };
  },
};

const sdkHttp: ConfigDef = {
  id: 'b',
  label: "b. SDK server on the SDK's Streamable HTTP transport (stateful, no event store)",
  async start(options) {
    const svc = await spawnService(process.execPath, [...(options.nodeFlags ?? []), SDK_HTTP_SERVER, '0'], /^listening (\d+)$/);
    const url = `http://127.0.0.1:${svc.match[1]}/mcp`;
    return httpRunning(svc.child.pid!, url, 'echo', () => stopProcessTree(svc.child), {});
  },
};

function outlet(id: 'c' | "c'", resumable: boolean): ConfigDef {
  return {
    id,
    label: `${id}. mcp-outlet over Streamable HTTP, resumable ${resumable} (/mcp, tool echo__echo)`,
    async start(options) {
      const dir = mkdtempSync(join(tmpdir(), 'outlet-bench-'));
      const configPath = join(dir, 'outlet.config.json');
      writeFileSync(
        configPath,
        JSON.stringify(
          {
            listen: { host: '127.0.0.1', port: 0 },
            http: { resumable },
            reload: { watch: false },
            ...(options.outletSandbox === 'none' ? { sandbox: { backend: 'none' } } : {}),
            servers: { echo: { command: process.execPath, args: [ECHO_SERVER], cwd: REPO_ROOT } },
          },
          null,
          2,
        ),
      );
      const entry = options.outletEntry ?? OUTLET_BIN;
      const viaTsx = entry.endsWith('.ts');
      const runs =
        entry === OUTLET_BIN
          ? existsSync(join(REPO_ROOT, 'dist/cli/main.js'))
            ? 'bin/outlet.js with dist/ (compiled)'
            : 'bin/outlet.js: src/ via tsx (no dist/ build)'
          : viaTsx
            ? 'src/ via tsx (node --import tsx src/cli/main.ts)'
            : 'compiled from src/ by the harness (tsc -p tsconfig.build.json)';
      try {
        const svc = await spawnService(
          process.execPath,
          [...(options.nodeFlags ?? []), ...(viaTsx ? ['--import', 'tsx'] : []), entry, 'serve', '--config', configPath, '--host', '127.0.0.1', '--port', '0'],
          /mcp-outlet serving (http:\/\/127\.0\.0\.1:\d+)\/mcp/,
        );
        const base = svc.match[1]!;
        const stop = async () => {
          await stopProcessTree(svc.child);
          rmSync(dir, { recursive: true, force: true });
        };
        try {
          await waitForHttp200(`${base}/ready`);
        } catch (err) {
          await stop();
          throw err;
        }
        return httpRunning(svc.child.pid!, `${base}/mcp`, 'echo__echo', stop, {
          runs,
          resumable: String(resumable),
          sandbox: options.outletSandbox === 'none' ? 'backend none (set in the config)' : 'the outlet default',
        });
      } catch (err) {
        rmSync(dir, { recursive: true, force: true });
        throw err;
      }
    },
  };
}

const perRequest: ConfigDef = {
  id: 'd',
  label: 'd. mcp-outlet, per-request mode',
  // A fresh process per call cannot take this table's back-to-back load (thousands of calls, 64 in
  // flight): its figures come from paced calls at rates it sustains, in a benchmark of its own.
  unavailable: 'measured separately, with paced calls: npx tsx bench/instances/per-request.ts (docs/performance.md, "Per-request mode")',
  start: () => Promise.reject(new Error('not available')),
};

const supergateway: ConfigDef = {
  id: 'e',
  label: 'e. supergateway 4.0 --stateful (Streamable HTTP)',
  async start(options) {
    const port = await freePort();
    const svc = await spawnService(
      process.execPath,
      [
        ...(options.nodeFlags ?? []),
        SUPERGATEWAY_BIN,
        '--stdio',
        `${process.execPath} ${ECHO_SERVER}`,
        '--outputTransport',
        'streamableHttp',
        '--stateful',
        '--port',
        String(port),
        '--logLevel',
        'none',
      ],
      { port },
    );
    return httpRunning(svc.child.pid!, `http://127.0.0.1:${port}/mcp`, 'echo', () => stopProcessTree(svc.child), { flags: '--stateful --logLevel none' });
  },
};

const mcpProxy: ConfigDef = {
  id: 'f',
  label: 'f. mcp-proxy 6.7 /mcp (defaults: event store on)',
  async start(options) {
    const port = await freePort();
    const svc = await spawnService(
      process.execPath,
      [...(options.nodeFlags ?? []), MCP_PROXY_BIN, '--port', String(port), '--host', '127.0.0.1', '--', process.execPath, ECHO_SERVER],
      { port },
    );
    return httpRunning(svc.child.pid!, `http://127.0.0.1:${port}/mcp`, 'echo', () => stopProcessTree(svc.child), { flags: '--host 127.0.0.1' });
  },
};

export const CONFIGS: readonly ConfigDef[] = [stdioDirect, sdkHttp, outlet('c', false), outlet("c'", true), perRequest, supergateway, mcpProxy];

export function configById(id: string): ConfigDef {
  const def = CONFIGS.find((c) => c.id === id);
  if (!def) throw new Error(`unknown configuration "${id}" (known: ${CONFIGS.map((c) => c.id).join(', ')})`);
  return def;
}
