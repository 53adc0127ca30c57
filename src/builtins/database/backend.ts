/** A value a caller may bind to a positional parameter. */
export type Param = string | number | boolean | null;

/** Rows of one statement, already cut to the limits. */
export interface Rows {
  columns: string[];
  rows: unknown[][];
  rowCount: number;
  truncated: boolean;
}

export interface TableName {
  schema?: string;
  name: string;
  type: string;
}

export interface ColumnInfo {
  name: string;
  type: string;
  nullable: boolean;
  default: string | null;
  primaryKey: boolean;
}

export interface KeyInfo {
  kind: 'primary' | 'unique' | 'foreign';
  columns: string[];
  /** For a foreign key: the table (and columns) it points at. */
  references?: string;
}

export interface TableInfo {
  schema?: string;
  name: string;
  columns: ColumnInfo[];
  keys: KeyInfo[];
}

/** What the tools need of a database, one implementation per engine. */
export interface DatabaseBackend {
  listTables(): Promise<TableName[]>;
  describeTable(table: string, schema: string | undefined): Promise<TableInfo | undefined>;
  /** One read statement; the engine itself refuses a write (read-only transaction or open). */
  query(sql: string, params: Param[], signal: AbortSignal): Promise<Rows>;
  /** One write statement. */
  execute(sql: string, params: Param[], signal: AbortSignal): Promise<{ rowsAffected: number }>;
  close(): Promise<void>;
}

/** Limits every backend applies, from the built-in's options. */
export interface Limits {
  maxRows: number;
  timeoutMs: number;
  maxResultBytes: number;
}

/**
 * Test seam: OUTLET_BUILTIN_UNSAFE_TEST_DATABASE lists the server's own checks to skip, so a test
 * can show the next wall holds without them. "no-readonly-check": our read-only check on `query`
 * (SQLite's statement flag, PostgreSQL's leading keyword); "rw-open": SQLite opened read-write even
 * when read-only (the ro mount is then the wall). Never set outside tests.
 */
export function unsafeTestSeam(flag: 'no-readonly-check' | 'rw-open'): boolean {
  return (process.env.OUTLET_BUILTIN_UNSAFE_TEST_DATABASE ?? '').split(',').includes(flag);
}
