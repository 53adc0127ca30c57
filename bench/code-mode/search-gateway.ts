// search_tools through the whole gateway on a 10,000-tool catalog: the inner tools/list through
// the policy chain (what the caller may see), the index lookup and the declarations, over a
// 2025-era SDK client on the gateway's own server in memory. The index is built by the first search.
//   npx tsx bench/code-mode/search-gateway.ts [tools] [queries]
import { fileURLToPath } from 'node:url';
import { latencyLine, openGatewayClient, timeCalls } from '../lib/gateway-client.js';
import { syntheticQueries } from './synthetic-catalog.js';

const TOOLS = Number(process.argv[2] ?? 10_000);
const QUERIES = Number(process.argv[3] ?? 300);
const server = fileURLToPath(new URL('./synthetic-server.ts', import.meta.url));

const { gateway, client, close } = await openGatewayClient({
  servers: { syn: { command: process.execPath, args: ['--import', 'tsx', server, String(TOOLS)], sandbox: { backend: 'none' } } },
  codeMode: { mode: 'code' },
});
try {
  const queries = syntheticQueries(QUERIES);
  const search = (query: string) => client.callTool({ name: 'search_tools', arguments: { query, limit: 5 } });
  const first = performance.now();
  await search(queries[0]!);
  console.log(`catalog of ${gateway.currentCatalog().tools().length} tools; first search (builds the index): ${(performance.now() - first).toFixed(0)} ms`);
  let next = 0;
  const summary = await timeCalls(() => search(queries[next++ % queries.length]!), QUERIES, 50);
  console.log(latencyLine('search_tools through the gateway (limit 5)', summary, 44));
} finally {
  await close();
}
