// p50 of the database built-in's simplest call through the gateway: `query` of one row from a
// small SQLite file, the built-in started by the supervisor in its cage (as configured), over a
// 2025-era SDK client on the gateway's own server (in memory, as stdio callers reach it).
//   npx tsx bench/builtins/database.ts [--calls 400]
import Database from 'better-sqlite3';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { callsArgument, latencyLine, openGatewayClient, timeCalls } from '../lib/gateway-client.js';

const calls = callsArgument(400);
const dir = mkdtempSync(join(tmpdir(), 'outlet-bench-db-'));
chmodSync(dir, 0o755);
const file = join(dir, 'bench.db');
const db = new Database(file);
db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO t (name) VALUES ('a'), ('b'), ('c');");
db.close();

const { client, close } = await openGatewayClient({ servers: { db: { builtin: 'database', url: `sqlite:${file}` } } }, 120_000);
try {
  const once = () => client.callTool({ name: 'db__query', arguments: { sql: 'SELECT name FROM t WHERE id = ?', params: [2] } });
  console.log(latencyLine('database query (SQLite, one row, through the gateway)', await timeCalls(once, calls, 50)));
} finally {
  await close();
  rmSync(dir, { recursive: true, force: true });
}
