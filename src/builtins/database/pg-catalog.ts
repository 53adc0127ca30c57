import type pg from 'pg';
import type { KeyInfo, TableInfo, TableName } from './backend.js';

// Names come in only as bound parameters: nothing a caller sends is ever part of the SQL text.

const TABLES = `SELECT table_schema, table_name, table_type FROM information_schema.tables
  WHERE table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2 LIMIT $1`;

const COLUMNS = `SELECT n.nspname, a.attname, format_type(a.atttypid, a.atttypmod), NOT a.attnotnull, pg_get_expr(d.adbin, d.adrelid)
  FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
  LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
  WHERE c.relname = $1 AND n.nspname = coalesce($2, current_schema()) AND c.relkind IN ('r', 'v', 'm', 'p', 'f')
    AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`;

const KEYS = `SELECT con.contype,
    array(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY k(n, i) JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n ORDER BY k.i),
    CASE WHEN con.contype = 'f' THEN con.confrelid::regclass::text || '(' || array_to_string(array(
      SELECT a.attname FROM unnest(con.confkey) WITH ORDINALITY k(n, i) JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.n ORDER BY k.i), ', ') || ')' END
  FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relname = $1 AND n.nspname = coalesce($2, current_schema()) AND con.contype IN ('p', 'u', 'f') ORDER BY con.contype, con.conname`;

const KIND = { p: 'primary', u: 'unique', f: 'foreign' } as const;

export async function pgTables(client: pg.PoolClient, limit: number): Promise<TableName[]> {
  const { rows } = await client.query<[string, string, string]>({ text: TABLES, values: [limit], rowMode: 'array' });
  return rows.map(([schema, name, type]) => ({ schema, name, type: type === 'BASE TABLE' ? 'table' : type.toLowerCase() }));
}

export async function pgDescribe(client: pg.PoolClient, table: string, schema: string | undefined): Promise<TableInfo | undefined> {
  const columns = await client.query<[string, string, string, boolean, string | null]>({ text: COLUMNS, values: [table, schema ?? null], rowMode: 'array' });
  if (columns.rows.length === 0) return undefined;
  const keyRows = await client.query<[keyof typeof KIND, string[], string | null]>({ text: KEYS, values: [table, schema ?? null], rowMode: 'array' });
  const keys: KeyInfo[] = keyRows.rows.map(([kind, cols, references]) => ({ kind: KIND[kind], columns: cols, ...(references ? { references } : {}) }));
  const primary = new Set(keys.filter((k) => k.kind === 'primary').flatMap((k) => k.columns));
  return {
    schema: columns.rows[0]![0],
    name: table,
    columns: columns.rows.map(([, name, type, nullable, dflt]) => ({ name, type, nullable, default: dflt, primaryKey: primary.has(name) })),
    keys,
  };
}
