// What code mode adds to one tool call: the same tool called directly, and from an execute_code
// program that makes that one call (sandbox start, the program, the inner call through the whole
// policy chain, the result back). Both over a 2025-era SDK client on the gateway's own server
// (in memory, as stdio callers reach it), so the figures compare the gateway's work alone.
//   npx tsx bench/code-mode/execute.ts [--calls 400]
import { Client, InMemoryTransport } from '@modelcontextprotocol/client';
import { performance } from 'node:perf_hooks';
import { parseConfig } from '../../src/config/index.js';
import { Gateway } from '../../src/gateway/gateway.js';
import { silentLogger } from '../../src/observability/logger.js';

const TINY = new URL('../../test/fixtures/tiny-server.mjs', import.meta.url).pathname;
const calls = Number(process.argv[process.argv.indexOf('--calls') + 1]) || 400;

async function clientOn(gateway: Gateway): Promise<Client> {
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await gateway.createServer({ kind: 'aggregate' }, { era: 'legacy', transport: 'stdio' }).server.connect(serverSide);
  const client = new Client({ name: 'bench', version: '1.0.0' });
  await client.connect(clientSide);
  return client;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function measure(label: string, once: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 50; i++) await once();
  const times: number[] = [];
  for (let i = 0; i < calls; i++) {
    const start = performance.now();
    await once();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  console.log(`${label.padEnd(34)} p50 ${percentile(times, 50).toFixed(3)} ms  p95 ${percentile(times, 95).toFixed(3)} ms  p99 ${percentile(times, 99).toFixed(3)} ms`);
  return percentile(times, 50);
}

const config = (mode: string) =>
  parseConfig({ servers: { tiny: { command: process.execPath, args: [TINY], env: { TINY_TOOLS: 'alpha' }, sandbox: { backend: 'none' } } }, codeMode: { mode: mode, pinned: ['tiny__alpha'] } }, { baseDir: process.cwd() });

const gateway = await Gateway.start(config('hybrid'), { logger: silentLogger() });
try {
  await gateway.supervisor.waitForStartup(20_000);
  const client = await clientOn(gateway);
  const direct = await measure('direct tools/call', () => client.callTool({ name: 'tiny__alpha', arguments: { n: 1 } }));
  const empty = await measure('execute_code, no tool call', () => client.callTool({ name: 'execute_code', arguments: { code: 'return 1' } }));
  const one = await measure('execute_code, one tool call', () => client.callTool({ name: 'execute_code', arguments: { code: 'return await tools["tiny__alpha"]({ n: 1 })' } }));
  console.log(`added by code mode to one call: ${(one - direct).toFixed(3)} ms p50 (sandbox start and program alone: ${empty.toFixed(3)} ms)`);
  await client.close();
} finally {
  await gateway.close();
}
