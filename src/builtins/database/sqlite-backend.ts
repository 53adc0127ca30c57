import { fork, type ChildProcess } from 'node:child_process';
import { unsafeTestSeam, type ColumnInfo, type DatabaseBackend, type KeyInfo, type Limits, type Param, type Rows } from './backend.js';
import { RowBudget } from './result-cells.js';

const RUNNER = new URL('./sqlite-runner.cjs', import.meta.url).pathname;

interface Answer {
  id: number;
  value?: unknown;
  error?: string;
}

/**
 * SQLite in a child process that holds the open database (sqlite-runner.cjs). A statement that
 * runs past statementTimeoutMs, or whose call is cancelled, is stopped by killing that process; the next
 * call opens the database again in a fresh one. Calls run one at a time, in order.
 */
export function sqliteBackend(path: string, readOnly: boolean, create: boolean, limits: Limits): DatabaseBackend {
  let child: ChildProcess | undefined;
  let nextId = 0;
  let queue: Promise<unknown> = Promise.resolve();
  const setup = JSON.stringify({ path, create, readOnly: readOnly && !unsafeTestSeam('rw-open'), checkReadOnly: !unsafeTestSeam('no-readonly-check') });

  function runner(): ChildProcess {
    if (child && child.exitCode === null && child.signalCode === null) return child;
    // stdout is the MCP pipe of this process: the runner gets none. Advanced serialization carries bigints and bytes.
    child = fork(RUNNER, [setup], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'], serialization: 'advanced', execArgv: [] });
    return child;
  }

  function once(request: Record<string, unknown>, signal?: AbortSignal): Promise<unknown> {
    const proc = runner();
    const id = ++nextId;
    return new Promise((resolve, reject) => {
      const finish = (err: Error | undefined, value?: unknown) => {
        clearTimeout(timer);
        proc.off('message', onMessage);
        proc.off('exit', onExit);
        signal?.removeEventListener('abort', onAbort);
        if (err) reject(err);
        else resolve(value);
      };
      const stop = (reason: string) => {
        proc.kill('SIGKILL');
        if (child === proc) child = undefined;
        finish(new Error(reason));
      };
      const onMessage = (answer: Answer) => {
        if (answer.id !== id) return;
        if (answer.error !== undefined) finish(new Error(answer.error));
        else finish(undefined, answer.value);
      };
      const onExit = (code: number | null, sig: string | null) => finish(new Error(`the SQLite worker ended (${sig ?? `exit ${code}`}) before it answered`));
      const onAbort = () => stop('the call was cancelled; the statement was stopped');
      const timer = setTimeout(() => stop(`sql: the statement ran past statementTimeoutMs (${limits.timeoutMs} ms) and was stopped`), limits.timeoutMs);
      proc.on('message', onMessage);
      proc.once('exit', onExit);
      signal?.addEventListener('abort', onAbort, { once: true });
      proc.send({ ...request, id });
    });
  }

  function call(request: Record<string, unknown>, signal?: AbortSignal): Promise<unknown> {
    const result = queue.then(() => once(request, signal));
    queue = result.catch(() => undefined);
    return result;
  }

  runner(); // started now, so that the first call's timeout is not spent starting Node
  return {
    async listTables() {
      return (await call({ op: 'tables' })) as { name: string; type: string }[];
    },
    async describeTable(table) {
      const found = (await call({ op: 'describe', table })) as SqliteDescription | null;
      return found ? describe(table, found) : undefined;
    },
    async query(sql: string, params: Param[], signal: AbortSignal): Promise<Rows> {
      const answer = (await call({ op: 'query', sql, params, maxRows: limits.maxRows, maxBytes: limits.maxResultBytes }, signal)) as { columns: string[]; rows: unknown[][]; truncated: boolean };
      const budget = new RowBudget(limits.maxRows, limits.maxResultBytes);
      for (const row of answer.rows) if (!budget.add(row)) break;
      return { columns: answer.columns, rows: budget.rows, rowCount: budget.rows.length, truncated: budget.truncated || answer.truncated };
    },
    async execute(sql, params, signal) {
      return (await call({ op: 'execute', sql, params }, signal)) as { rowsAffected: number };
    },
    async close() {
      child?.kill();
    },
  };
}

interface SqliteDescription {
  columns: { name: string; type: string; notnull: number; dflt_value: string | null; pk: number }[];
  foreign: { id: number; table: string; from: string; to: string | null }[];
  unique: { name: string; col: string }[];
}

function describe(table: string, found: SqliteDescription): { name: string; columns: ColumnInfo[]; keys: KeyInfo[] } {
  const keys: KeyInfo[] = [];
  const primary = found.columns.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name);
  if (primary.length > 0) keys.push({ kind: 'primary', columns: primary });
  const group = <T,>(items: T[], by: (item: T) => string | number): T[][] => {
    const groups = new Map<string | number, T[]>();
    for (const item of items) groups.set(by(item), [...(groups.get(by(item)) ?? []), item]);
    return [...groups.values()];
  };
  for (const index of group(found.unique, (u) => u.name)) keys.push({ kind: 'unique', columns: index.map((u) => u.col) });
  for (const fk of group(found.foreign, (f) => f.id)) {
    keys.push({ kind: 'foreign', columns: fk.map((f) => f.from), references: `${fk[0]!.table}(${fk.map((f) => f.to ?? '?').join(', ')})` });
  }
  return {
    name: table,
    // SQLite lets a PRIMARY KEY column hold NULL unless declared NOT NULL, except an INTEGER PRIMARY KEY (the rowid).
    columns: found.columns.map((c) => ({ name: c.name, type: c.type, nullable: c.notnull === 0 && !(c.pk === 1 && primary.length === 1 && c.type.toUpperCase() === 'INTEGER'), default: c.dflt_value, primaryKey: c.pk > 0 })),
    keys,
  };
}
