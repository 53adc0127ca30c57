// Search over a 10,000-tool synthetic catalog: index build time, then per-query latency.
// Run: npx tsx bench/code-mode/search.ts [tools] [queries]
import { ToolSearchIndex } from '../../src/catalog/code-mode/tool-search.js';
import { summarize } from '../lib/stats.js';
import { syntheticCatalog, syntheticQueries } from './synthetic-catalog.js';

const TOOLS = Number(process.argv[2] ?? 10_000);
const QUERIES = Number(process.argv[3] ?? 400);
const LIMIT = 5;

const tools = syntheticCatalog(TOOLS);
const queries = syntheticQueries(QUERIES);

const t0 = performance.now();
const index = ToolSearchIndex.for(tools);
const buildMs = performance.now() - t0;

// A caller that sees two thirds of the catalog, as a policy might allow.
const hidden = (name: string) => name.length % 3 !== 0;

function run(label: string, visible?: (name: string) => boolean): void {
  for (const q of queries.slice(0, 50)) index.search(q, { limit: LIMIT, visible }); // warm up the JIT
  const times: number[] = [];
  let hits = 0;
  let totals = 0;
  for (const q of queries) {
    const start = performance.now();
    const answer = index.search(q, { limit: LIMIT, visible });
    times.push(performance.now() - start);
    hits += answer.hits.length;
    totals += answer.total;
  }
  const s = summarize(times);
  console.log(
    `${label.padEnd(22)} p50 ${s.p50Ms.toFixed(2)} ms  p95 ${s.p95Ms.toFixed(2)} ms  max ${s.maxMs.toFixed(2)} ms  ` +
      `(mean ${(hits / queries.length).toFixed(1)} hits of ${(totals / queries.length).toFixed(0)} matches)`,
  );
}

console.log(`${TOOLS} tools, ${QUERIES} queries, limit ${LIMIT}, node ${process.version}`);
console.log(`index build            ${buildMs.toFixed(0)} ms (heap used ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MiB)`);
run('search');
run('search, 2/3 visible', hidden);
for (const q of ['create issue', 'pul request', 'slack message', 'upload file to bucket']) {
  console.log(`  ${JSON.stringify(q)} -> ${index.search(q, { limit: 3 }).hits.map((h) => h.tool.name).join(', ')}`);
}
