// search_tools through the whole gateway on a 10,000-tool catalog: the inner tools/list through
// the policy chain (what the caller may see), the index lookup and the declarations, over a
// 2025-era SDK client on the gateway's own server in memory. The index is built by the first search.
//   npx tsx bench/code-mode/search-gateway.ts [tools] [queries]
import { Client, InMemoryTransport } from '@modelcontextprotocol/client';
import { fileURLToPath } from 'node:url';
import { parseConfig } from '../../src/config/index.js';
import { Gateway } from '../../src/gateway/gateway.js';
import { silentLogger } from '../../src/observability/logger.js';
import { summarize } from '../lib/stats.js';
import { syntheticQueries } from './synthetic-catalog.js';

const TOOLS = Number(process.argv[2] ?? 10_000);
const QUERIES = Number(process.argv[3] ?? 300);
const server = fileURLToPath(new URL('./synthetic-server.ts', import.meta.url));

const config = parseConfig(
  { servers: { syn: { command: process.execPath, args: ['--import', 'tsx', server, String(TOOLS)], sandbox: { backend: 'none' } } }, codeMode: { mode: 'code' } },
  { baseDir: process.cwd() },
);
const gateway = await Gateway.start(config, { logger: silentLogger() });
try {
  await gateway.supervisor.waitForStartup(60_000);
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await gateway.createServer({ kind: 'aggregate' }, { era: 'legacy', transport: 'stdio' }).server.connect(serverSide);
  const client = new Client({ name: 'bench', version: '1.0.0' });
  await client.connect(clientSide);
  const queries = syntheticQueries(QUERIES);
  const search = (query: string) => client.callTool({ name: 'search_tools', arguments: { query, limit: 5 } });
  const first = performance.now();
  await search(queries[0]!);
  console.log(`catalog of ${gateway.currentCatalog().tools().length} tools; first search (builds the index): ${(performance.now() - first).toFixed(0)} ms`);
  for (const q of queries.slice(0, 50)) await search(q);
  const wall: number[] = [];
  for (const q of queries) {
    const start = performance.now();
    await search(q);
    wall.push(performance.now() - start);
  }
  const s = summarize(wall);
  console.log(`search_tools through the gateway: p50 ${s.p50Ms.toFixed(2)} ms  p95 ${s.p95Ms.toFixed(2)} ms  (${QUERIES} queries, limit 5)`);
  await client.close();
} finally {
  await gateway.close();
}
