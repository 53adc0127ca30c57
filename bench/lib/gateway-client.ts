// What the code-mode and built-in benches share: a gateway started from a raw config, a 2025-era
// SDK client on its own server in memory (as stdio callers reach it, so the figures are the
// gateway's work without HTTP), and timing one call many times.
import { Client, InMemoryTransport } from '@modelcontextprotocol/client';
import { performance } from 'node:perf_hooks';
import { parseConfig } from '../../src/config/index.js';
import { Gateway } from '../../src/gateway/gateway.js';
import { silentLogger } from '../../src/observability/logger.js';
import { summarize, type LatencySummary } from './stats.js';

export interface GatewayClient {
  gateway: Gateway;
  client: Client;
  close(): Promise<void>;
}

/** A gateway from `raw` (a config file's content), its servers started, and a client on it. */
export async function openGatewayClient(raw: Record<string, unknown>, startupMs = 60_000): Promise<GatewayClient> {
  const gateway = await Gateway.start(parseConfig(raw, { baseDir: process.cwd() }), { logger: silentLogger() });
  try {
    await gateway.supervisor.waitForStartup(startupMs);
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await gateway.createServer({ kind: 'aggregate' }, { era: 'legacy', transport: 'stdio' }).server.connect(serverSide);
    const client = new Client({ name: 'bench', version: '1.0.0' });
    await client.connect(clientSide);
    return { gateway, client, close: async () => (await client.close(), await gateway.close()) };
  } catch (err) {
    await gateway.close();
    throw err;
  }
}

/** `--calls N` from the command line, or `fallback`. */
export function callsArgument(fallback: number): number {
  return Number(process.argv[process.argv.indexOf('--calls') + 1]) || fallback;
}

/** Times `once` `calls` times after `warmup` untimed runs. */
export async function timeCalls(once: () => Promise<unknown>, calls: number, warmup = 30): Promise<LatencySummary> {
  for (let i = 0; i < warmup; i++) await once();
  const times: number[] = [];
  for (let i = 0; i < calls; i++) {
    const start = performance.now();
    await once();
    times.push(performance.now() - start);
  }
  return summarize(times);
}

/** One line: p50, p95, p99 in milliseconds. */
export function latencyLine(label: string, s: LatencySummary, width = 34): string {
  return `${label.padEnd(width)} p50 ${s.p50Ms.toFixed(3)} ms  p95 ${s.p95Ms.toFixed(3)} ms  p99 ${s.p99Ms.toFixed(3)} ms  (${s.count} calls)`;
}
