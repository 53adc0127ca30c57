// read_file of a small file through the gateway: the built-in `files` server in its cage (bwrap
// where it works), called over a 2025-era SDK client on the gateway's own server (in memory).
//   npx tsx bench/builtins/files.ts [--calls 400]
import { Client, InMemoryTransport } from '@modelcontextprotocol/client';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseConfig } from '../../src/config/index.js';
import { Gateway } from '../../src/gateway/gateway.js';
import { silentLogger } from '../../src/observability/logger.js';

const calls = Number(process.argv[process.argv.indexOf('--calls') + 1]) || 400;
const root = mkdtempSync(join(tmpdir(), 'outlet-bench-files-'));
chmodSync(root, 0o755); // the cage runs as uid 65534 when the bench is root: the root folder must be readable to it
writeFileSync(join(root, 'note.txt'), 'hello from the bench\n'.repeat(50));

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const gateway = await Gateway.start(parseConfig({ servers: { fs: { builtin: 'files', roots: [root] } } }, { baseDir: process.cwd() }), { logger: silentLogger() });
try {
  await gateway.supervisor.waitForStartup(30_000);
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await gateway.createServer({ kind: 'aggregate' }, { era: 'legacy', transport: 'stdio' }).server.connect(serverSide);
  const client = new Client({ name: 'bench', version: '1.0.0' });
  await client.connect(clientSide);
  const once = () => client.callTool({ name: 'fs__read_file', arguments: { path: 'note.txt' } });
  const first = await once();
  if (first.isError) throw new Error(JSON.stringify(first));
  for (let i = 0; i < 50; i++) await once();
  const times: number[] = [];
  for (let i = 0; i < calls; i++) {
    const start = performance.now();
    await once();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  console.log(`files read_file (1 KiB) through the gateway: p50 ${percentile(times, 50).toFixed(3)} ms  p95 ${percentile(times, 95).toFixed(3)} ms  p99 ${percentile(times, 99).toFixed(3)} ms  (${calls} calls)`);
  await client.close();
} finally {
  await gateway.close();
  rmSync(root, { recursive: true, force: true });
}
