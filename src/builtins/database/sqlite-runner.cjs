'use strict';
// The SQLite side of the database built-in, in its own process: better-sqlite3 runs a statement
// synchronously inside SQLite's C code and offers no interrupt, so the only way to bound a
// statement's time is to kill the process that runs it (sqlite-backend.ts does, at timeoutMs).
// Started with fork(); requests and answers travel over the IPC channel; stdout is not used.
//   argv[2]: JSON { path, readOnly, checkReadOnly }
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS on purpose: forked by path, in dist and in a checkout alike */
const Database = require('better-sqlite3');

const { path, readOnly, create, checkReadOnly } = JSON.parse(process.argv[2]);
if (create) new Database(path).close(); // the scratch database: created empty on first use
const db = new Database(path, { readonly: readOnly, fileMustExist: true });

function prepare(sql) {
  try {
    return db.prepare(sql);
  } catch (err) {
    if (/more than one statement/.test(err.message)) throw new Error('sql: one statement per call (the string holds several)', { cause: err });
    if (/no statements/.test(err.message)) throw new Error('sql: no statement in the string', { cause: err });
    throw err;
  }
}

const handlers = {
  tables: () => db.prepare("SELECT name, type FROM sqlite_schema WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name").all(),
  describe: ({ table }) => {
    const known = db.prepare("SELECT name FROM sqlite_schema WHERE type IN ('table', 'view') AND name = ?").get(table);
    if (!known) return null;
    return {
      columns: db.prepare('SELECT name, type, "notnull", dflt_value, pk FROM pragma_table_info(?) ORDER BY cid').all(table),
      foreign: db.prepare('SELECT id, "table", "from", "to" FROM pragma_foreign_key_list(?) ORDER BY id, seq').all(table),
      unique: db
        .prepare("SELECT l.name, i.name AS col FROM pragma_index_list(?) l, pragma_index_info(l.name) i WHERE l.\"unique\" = 1 AND l.origin = 'u' ORDER BY l.name, i.seqno")
        .all(table),
    };
  },
  query: ({ sql, params, maxRows, maxBytes }) => {
    const stmt = prepare(sql);
    // Our own check; the read-only open (and, for a file, the ro mount) refuses writes regardless.
    if (checkReadOnly && !stmt.readonly) throw new Error('sql: query runs statements that do not write; use execute for writes');
    if (!stmt.reader) {
      if (checkReadOnly) throw new Error('sql: query needs a statement that returns rows (SELECT, WITH, VALUES, PRAGMA); use execute for others');
      stmt.run(...params); // only with the test seam: shows what the open and the mount refuse
      return { columns: [], rows: [], truncated: false };
    }
    stmt.raw(true).safeIntegers(true);
    const rows = [];
    let bytes = 0;
    let truncated = false;
    for (const row of stmt.iterate(...params)) {
      const size = JSON.stringify(row, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)).length + 1;
      if (rows.length >= maxRows || bytes + size > maxBytes) {
        truncated = true;
        break;
      }
      bytes += size;
      rows.push(row);
    }
    return { columns: stmt.columns().map((c) => c.name), rows, truncated };
  },
  execute: ({ sql, params }) => ({ rowsAffected: prepare(sql).run(...params).changes }),
};

process.on('message', (request) => {
  let answer;
  try {
    answer = { id: request.id, value: handlers[request.op](request) };
  } catch (err) {
    answer = { id: request.id, error: err.message };
  }
  process.send(answer);
});
process.on('disconnect', () => process.exit(0));
