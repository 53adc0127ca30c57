// p50 of each built-in's simplest call through the whole gateway (chain, router, the built-in's
// process in its cage), over a 2025-era SDK client on the gateway's own server in memory.
//   npx tsx bench/builtins/simple-calls.ts [--calls 200]
import { Client, InMemoryTransport } from '@modelcontextprotocol/client';
import { parseConfig } from '../../src/config/index.js';
import { Gateway } from '../../src/gateway/gateway.js';
import { silentLogger } from '../../src/observability/logger.js';
import { summarize } from '../lib/stats.js';

const calls = Number(process.argv[process.argv.indexOf('--calls') + 1]) || 200;
const cases: [label: string, tool: string, args: Record<string, unknown>][] = [
  ['time: get_current_time', 'time__get_current_time', {}],
  ['system: get_system_info', 'system__get_system_info', {}],
  ['python: execute_python print(1)', 'python__execute_python', { code: 'print(1)' }],
];

const config = parseConfig({ servers: { time: { builtin: 'time' }, system: { builtin: 'system' }, python: { builtin: 'python' } } }, { baseDir: process.cwd() });
const gateway = await Gateway.start(config, { logger: silentLogger() });
try {
  await gateway.supervisor.waitForStartup(60_000);
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await gateway.createServer({ kind: 'aggregate' }, { era: 'legacy', transport: 'stdio' }).server.connect(serverSide);
  const client = new Client({ name: 'bench', version: '1.0.0' });
  await client.connect(clientSide);
  for (const [label, tool, args] of cases) {
    for (let i = 0; i < 20; i++) await client.callTool({ name: tool, arguments: args });
    const times: number[] = [];
    for (let i = 0; i < calls; i++) {
      const start = performance.now();
      await client.callTool({ name: tool, arguments: args });
      times.push(performance.now() - start);
    }
    const s = summarize(times);
    console.log(`${label.padEnd(34)} p50 ${s.p50Ms.toFixed(2)} ms  p95 ${s.p95Ms.toFixed(2)} ms  (${calls} calls)`);
  }
  await client.close();
} finally {
  await gateway.close();
}
