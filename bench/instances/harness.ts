// The load side of the instance-mode benchmark: a gateway in a child process, an SDK client on
// one server's endpoint, back-to-back and open-loop (fixed-rate) call runs, and /ready reads.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { nowMs, sleep } from './stats.js';

export const ECHO = fileURLToPath(new URL('./echo-server.mjs', import.meta.url));
const SERVE = fileURLToPath(new URL('./serve.ts', import.meta.url));

export interface Gateway {
  url: string;
  client: Client;
  close(): Promise<void>;
}

/** Starts a gateway serving `echo` with the given `instances` block and connects a 2025-era client to /servers/echo/mcp. */
export async function startGateway(instances: Record<string, unknown>, backend: 'bubblewrap' | 'none'): Promise<Gateway> {
  const config = { reload: { watch: false }, servers: { echo: { command: process.execPath, args: [ECHO], sandbox: { backend }, instances } } };
  const child = spawn(process.execPath, ['--import', 'tsx', SERVE, JSON.stringify(config)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.once('data', (chunk: Buffer) => resolve((JSON.parse(chunk.toString('utf8')) as { url: string }).url));
    child.once('exit', (code) => reject(new Error(`gateway exited with ${code}`)));
  });
  await waitFor(async () => (await fetch(`${url}/ready`)).status === 200);
  const client = new Client({ name: 'bench', version: '1.0.0' }, { supportedProtocolVersions: ['2025-11-25'] });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${url}/servers/echo/mcp`)));
  return { url, client, close: () => stop(child, client) };
}

async function stop(child: ChildProcess, client: Client): Promise<void> {
  await client.close();
  const gone = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await gone;
}

export async function waitFor(check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(50);
  }
}

/** The echo server's `instances` status from /ready. */
export async function instances(url: string): Promise<{ spares?: number; running: number; served?: number }> {
  const body = (await (await fetch(`${url}/ready`)).json()) as { upstreams: { name: string; instances?: { spares?: number; running: number; served?: number } }[] };
  return body.upstreams.find((u) => u.name === 'echo')?.instances ?? { running: 1 };
}

async function call(client: Client, i: number): Promise<number> {
  const start = nowMs();
  const result = await client.callTool({ name: 'echo', arguments: { text: `call ${i}` } });
  if (result.isError) throw new Error(JSON.stringify(result.content));
  return nowMs() - start;
}

/** `n` calls one after another. */
export async function backToBack(client: Client, n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(await call(client, i));
  return out;
}

/** `n` calls started at a fixed rate whatever the answers (open loop); latencies and error messages. */
export async function atRate(client: Client, perSecond: number, n: number): Promise<{ latencies: number[]; errors: string[] }> {
  const start = nowMs();
  const latencies: number[] = [];
  const errors: string[] = [];
  const calls: Promise<void>[] = [];
  for (let i = 0; i < n; i++) {
    await sleep(start + (i * 1000) / perSecond - nowMs());
    calls.push(call(client, i).then((ms) => void latencies.push(ms), (err: unknown) => void errors.push(err instanceof Error ? err.message : String(err))));
  }
  await Promise.all(calls);
  return { latencies, errors };
}
