import pg from 'pg';
import { unsafeTestSeam, type DatabaseBackend, type Limits, type Param, type Rows } from './backend.js';
import { pgDescribe, pgTables } from './pg-catalog.js';
import { limitedQuery } from './pg-limited-query.js';
import { egressProxy, ProxyTunnel } from './pg-proxy-stream.js';
import { startsLikeRead } from './read-only-sql.js';
import { RowBudget } from './result-cells.js';

/**
 * PostgreSQL through a small pool. Every call is one transaction: READ ONLY for everything but
 * `execute` (and the session default is read-only too when the built-in is), with
 * statement_timeout set for that transaction only, so no setting outlives a call.
 */
export function pgBackend(url: string, readOnly: boolean, limits: Limits): DatabaseBackend {
  const proxy = egressProxy();
  const pool = new pg.Pool({
    connectionString: url,
    max: 4,
    idleTimeoutMillis: 10_000,
    connectionTimeoutMillis: limits.timeoutMs,
    // The server's own timeout is the one that counts; this one ends a call whose connection hangs.
    query_timeout: limits.timeoutMs + 5_000,
    // Session defaults as well as the per-transaction settings below: a belt for any statement
    // that would run outside them (BEGIN, COMMIT, ROLLBACK).
    options: `-c statement_timeout=${limits.timeoutMs}${readOnly ? ' -c default_transaction_read_only=on' : ''}`,
    ...(proxy ? { stream: () => new ProxyTunnel(proxy) } : {}),
  });
  // An idle connection that drops must not take the server down; the next call opens another.
  pool.on('error', () => {});

  async function inTransaction<T>(write: boolean, run: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await pool.connect();
    let broken = false;
    try {
      await client.query(write ? 'BEGIN READ WRITE' : 'BEGIN READ ONLY');
      await client.query("SELECT set_config('statement_timeout', $1, true)", [String(limits.timeoutMs)]);
      const result = await run(client);
      await client.query(write ? 'COMMIT' : 'ROLLBACK');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => (broken = true));
      throw explain(err as Error & { code?: string });
    } finally {
      client.release(broken);
    }
  }

  return {
    listTables: () => inTransaction(false, (c) => pgTables(c, limits.maxRows)),
    describeTable: (table, schema) => inTransaction(false, (c) => pgDescribe(c, table, schema)),
    async query(sql: string, params: Param[]): Promise<Rows> {
      if (!unsafeTestSeam('no-readonly-check') && !startsLikeRead(sql)) {
        throw new Error('sql: query runs reads only (SELECT, WITH, VALUES, TABLE, SHOW, EXPLAIN); use execute for writes');
      }
      return inTransaction(false, async (client) => {
        const { columns, rows, more } = await limitedQuery(client, sql, params, limits.maxRows + 1);
        const budget = new RowBudget(limits.maxRows, limits.maxResultBytes);
        for (const row of rows) if (!budget.add(row)) break;
        return { columns, rows: budget.rows, rowCount: budget.rows.length, truncated: budget.truncated || more };
      });
    },
    execute: (sql, params) => inTransaction(true, async (client) => ({ rowsAffected: (await client.query({ text: sql, values: params, queryMode: 'extended' } as pg.QueryConfig)).rowCount ?? 0 })),
    close: () => pool.end(),
  };
}

/** The server's errors as they are (they say what was wrong), a few made plainer. */
function explain(err: Error & { code?: string }): Error {
  if (err.code === '42601' && /multiple commands/.test(err.message)) return new Error('sql: one statement per call (the string holds several)');
  if (err.code === '57014') return new Error(`sql: the statement ran past statementTimeoutMs and was cancelled by the server (${err.message})`);
  if (err.code === '25006') return new Error(`sql: refused by the database: ${err.message}`);
  return err;
}
