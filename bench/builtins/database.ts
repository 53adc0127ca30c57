// p50 of the database built-in's simplest call through the gateway: `query` of one row from a
// small SQLite file, the built-in started by the supervisor in its cage (as configured), over a
// 2025-era SDK client on the gateway's own server (in memory, as stdio callers reach it).
//   npx tsx bench/builtins/database.ts [--calls 400]
import Database from 'better-sqlite3';
import { Client, InMemoryTransport } from '@modelcontextprotocol/client';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseConfig } from '../../src/config/index.js';
import { Gateway } from '../../src/gateway/gateway.js';
import { silentLogger } from '../../src/observability/logger.js';

const calls = Number(process.argv[process.argv.indexOf('--calls') + 1]) || 400;
const dir = mkdtempSync(join(tmpdir(), 'outlet-bench-db-'));
chmodSync(dir, 0o755);
const file = join(dir, 'bench.db');
const db = new Database(file);
db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO t (name) VALUES ('a'), ('b'), ('c');");
db.close();

const gateway = await Gateway.start(parseConfig({ servers: { db: { builtin: 'database', url: `sqlite:${file}` } } }, { baseDir: process.cwd() }), { logger: silentLogger() });
try {
  await gateway.supervisor.waitForStartup(120_000);
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await gateway.createServer({ kind: 'aggregate' }, { era: 'legacy', transport: 'stdio' }).server.connect(serverSide);
  const client = new Client({ name: 'bench', version: '1.0.0' });
  await client.connect(clientSide);
  const once = () => client.callTool({ name: 'db__query', arguments: { sql: 'SELECT name FROM t WHERE id = ?', params: [2] } });
  for (let i = 0; i < 50; i++) await once();
  const times: number[] = [];
  for (let i = 0; i < calls; i++) {
    const start = performance.now();
    await once();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const at = (p: number) => times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))]!.toFixed(3);
  console.log(`database query (SQLite, one row, through the gateway)  p50 ${at(50)} ms  p95 ${at(95)} ms  p99 ${at(99)} ms  (${calls} calls)`);
  await client.close();
} finally {
  await gateway.close();
  rmSync(dir, { recursive: true, force: true });
}
