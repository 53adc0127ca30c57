import Database from 'better-sqlite3';
import { chmodSync, chownSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outletPackageRoot } from '../../src/config/builtins/outlet-package.js';
import { parseConfig } from '../../src/config/index.js';
import { suiteGateway } from '../helpers/suite-gateway.js';

type CallResult = { content: { type: string; text: string }[]; isError?: boolean; structuredContent?: Record<string, unknown> };

// The database built-in through the real gateway, each server in the cage its options derive:
// SQLite files in temp folders (one writable, one read-only), the local PostgreSQL in a schema
// made for this run. `*c` servers run with the built-in's own read-only checks switched off
// (the test seam), to show the next wall refuses the write anyway.
const root = process.getuid?.() === 0;
const writableDir = mkdtempSync(join(tmpdir(), 'outlet-db-rw-'));
const readOnlyDir = mkdtempSync(join(tmpdir(), 'outlet-db-ro-'));
const rwFile = join(writableDir, 'app.db');
const roFile = join(readOnlyDir, 'app.db');
const schema = `outlet_db_${process.pid}_${Date.now()}`;
const PG_URL = 'postgresql://postgres@localhost/test';
const SEAM = 'OUTLET_BUILTIN_UNSAFE_TEST_DATABASE';

for (const file of [rwFile, roFile]) {
  const db = new Database(file);
  db.exec(`CREATE TABLE owners (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
    CREATE TABLE pets (id INTEGER PRIMARY KEY, name TEXT NOT NULL, owner_id INTEGER REFERENCES owners(id), note TEXT);
    INSERT INTO owners (name) VALUES ('ann'), ('bob');
    INSERT INTO pets (name, owner_id) VALUES ('rex', 1), ('tom', 2), ('kit', 2), ('ace', 1), ('zed', 2);`);
  db.close();
}
chmodSync(readOnlyDir, 0o755);
if (root) {
  // The writable database's folder belongs to the sandbox uid (SQLite writes its journal there).
  chownSync(writableDir, 65534, 65534);
  chownSync(rwFile, 65534, 65534);
}
process.env[SEAM] = 'no-readonly-check,rw-open';

const admin = new pg.Client({ connectionString: PG_URL });
beforeAll(async () => {
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema};
    CREATE TABLE ${schema}.owners (id serial PRIMARY KEY, name text NOT NULL UNIQUE);
    CREATE TABLE ${schema}.pets (id serial PRIMARY KEY, name text NOT NULL, owner_id int REFERENCES ${schema}.owners(id));
    CREATE SEQUENCE ${schema}.tickets;
    INSERT INTO ${schema}.owners (name) VALUES ('ann'), ('bob');
    INSERT INTO ${schema}.pets (name, owner_id) VALUES ('rex', 1), ('tom', 2);`);
});
afterAll(async () => {
  await admin.query(`DROP SCHEMA ${schema} CASCADE`);
  await admin.end();
});

const limits = { statementTimeoutMs: 1500, maxRows: 3, maxResultBytes: 2048 };
const seam = { sandbox: { env: [SEAM] } };
const suite = suiteGateway(
  {
    servers: {
      sw: { builtin: 'database', url: `sqlite:${rwFile}`, readOnly: false, ...limits },
      sr: { builtin: 'database', url: `sqlite:${roFile}`, ...limits },
      sc: { builtin: 'database', url: `sqlite:${roFile}`, ...limits, ...seam },
      pr: { builtin: 'database', url: PG_URL, ...limits },
      pw: { builtin: 'database', url: PG_URL, readOnly: false, ...limits },
      pc: { builtin: 'database', url: PG_URL, ...limits, ...seam },
    },
  },
  { timeoutMs: 150_000 },
);
// Six caged Node servers start at once (each compiles the sources in its own empty /tmp): give them time.
beforeAll(() => suite.gw.ready(140_000), 150_000);

async function call(name: string, args: Record<string, unknown> = {}): Promise<CallResult> {
  const client = await suite.gw.client();
  return (await client.callTool({ name, arguments: args })) as CallResult;
}
const errorOf = async (name: string, args: Record<string, unknown>) => {
  const result = await call(name, args);
  expect(result.isError).toBe(true);
  return result.content[0]!.text;
};

describe('the database built-in on SQLite', () => {
  it('lists execute only where writes are allowed, with honest annotations', async () => {
    const { tools } = await (await suite.gw.client()).listTools();
    const names = tools.map((t) => t.name);
    expect(names.filter((n) => n.startsWith('sw__')).sort()).toEqual(['sw__describe_table', 'sw__execute', 'sw__list_tables', 'sw__query']);
    expect(names.filter((n) => n.startsWith('sr__')).sort()).toEqual(['sr__describe_table', 'sr__list_tables', 'sr__query']);
    expect(names).not.toContain('pr__execute');
    const execute = tools.find((t) => t.name === 'sw__execute')!;
    expect(execute.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: true });
    expect(tools.find((t) => t.name === 'sw__query')!.annotations?.readOnlyHint).toBe(true);
  });

  it('lists tables and describes one: columns, types, nullability, keys', async () => {
    expect((await call('sr__list_tables')).structuredContent).toEqual({ tables: [{ name: 'owners', type: 'table' }, { name: 'pets', type: 'table' }] });
    const pets = (await call('sr__describe_table', { table: 'pets' })).structuredContent!;
    expect(pets.columns).toEqual([
      { name: 'id', type: 'INTEGER', nullable: false, default: null, primaryKey: true },
      { name: 'name', type: 'TEXT', nullable: false, default: null, primaryKey: false },
      { name: 'owner_id', type: 'INTEGER', nullable: true, default: null, primaryKey: false },
      { name: 'note', type: 'TEXT', nullable: true, default: null, primaryKey: false },
    ]);
    expect(pets.keys).toEqual([{ kind: 'primary', columns: ['id'] }, { kind: 'foreign', columns: ['owner_id'], references: 'owners(id)' }]);
    const owners = (await call('sr__describe_table', { table: 'owners' })).structuredContent!;
    expect(owners.keys).toContainEqual({ kind: 'unique', columns: ['name'] });
  });

  it('runs a query with parameters as data, and cuts rows past maxRows', async () => {
    const one = await call('sr__query', { sql: 'SELECT p.name, o.name AS owner FROM pets p JOIN owners o ON o.id = p.owner_id WHERE o.name = ? ORDER BY p.id', params: ['ann'] });
    expect(one.structuredContent).toEqual({ columns: ['name', 'owner'], rows: [['rex', 'ann'], ['ace', 'ann']], rowCount: 2, truncated: false });
    const injected = await call('sr__query', { sql: 'SELECT count(*) AS n FROM owners WHERE name = ?', params: ["ann' OR '1'='1"] });
    expect(injected.structuredContent).toMatchObject({ rows: [[0]] });
    const many = await call('sr__query', { sql: 'SELECT name FROM pets ORDER BY id', params: [] });
    expect(many.structuredContent).toEqual({ columns: ['name'], rows: [['rex'], ['tom'], ['kit']], rowCount: 3, truncated: true });
  });

  it('writes through execute where allowed', async () => {
    const done = await call('sw__execute', { sql: 'INSERT INTO owners (name) VALUES (?), (?)', params: ['cy', "dee'); DROP TABLE pets; --"] });
    expect(done.structuredContent).toEqual({ rowsAffected: 2 });
    const back = await call('sw__query', { sql: 'SELECT name FROM owners WHERE id > 2 ORDER BY id' });
    expect(back.structuredContent).toMatchObject({ rows: [['cy'], ["dee'); DROP TABLE pets; --"]] });
    expect((await call('sw__list_tables')).structuredContent).toMatchObject({ tables: [{ name: 'owners' }, { name: 'pets' }] });
    expect(await errorOf('sw__query', { sql: "DELETE FROM pets" })).toMatch(/use execute for writes/);
  });

  it('refuses several statements, a write in read-only mode, and a name that is not a table', async () => {
    expect(await errorOf('sr__query', { sql: 'SELECT 1; DELETE FROM pets' })).toMatch(/one statement per call/);
    expect(await errorOf('sw__execute', { sql: "UPDATE pets SET note = 'x'; DROP TABLE owners" })).toMatch(/one statement per call/);
    expect(await errorOf('sr__query', { sql: 'INSERT INTO owners (name) VALUES (?)', params: ['eve'] })).toMatch(/use execute for writes/);
    expect(await errorOf('sr__describe_table', { table: 'pets; DROP TABLE pets' })).toMatch(/table: "pets; DROP TABLE pets" is not a table or view/);
    expect(await errorOf('sr__describe_table', { table: "pets') UNION SELECT 1 --" })).toMatch(/is not a table or view/);
    expect((await call('sr__list_tables')).structuredContent).toMatchObject({ tables: [{ name: 'owners' }, { name: 'pets' }] });
  });

  it('stops a statement past statementTimeoutMs and answers the next call', async () => {
    const slow = await errorOf('sr__query', { sql: 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c' });
    expect(slow).toMatch(/ran past statementTimeoutMs \(1500 ms\) and was stopped/);
    expect((await call('sr__query', { sql: 'SELECT 1 AS one' })).structuredContent).toMatchObject({ rows: [[1]] });
  });

  it('cuts a result past maxResultBytes', async () => {
    const huge = await call('sr__query', { sql: 'SELECT hex(randomblob(600)) FROM pets' });
    expect(huge.structuredContent).toMatchObject({ rowCount: 1, truncated: true });
    const one = await call('sr__query', { sql: 'SELECT hex(randomblob(5000))' });
    expect(one.structuredContent).toMatchObject({ rows: [], rowCount: 0, truncated: true });
  });

  it('holds without its own checks: the read-only open refuses a write, the ro mount refuses a new file', async () => {
    // The seam switched off our statement check and opened the file read-write: only the mount is left.
    const write = await errorOf('sc__query', { sql: "INSERT INTO owners (name) VALUES ('mallory') RETURNING id" });
    expect(write).toMatch(/readonly database/);
    const copy = join(readOnlyDir, 'copy.db');
    expect(await errorOf('sc__query', { sql: 'VACUUM INTO ?', params: [copy] })).toMatch(/unable to open|readonly|read-only/i);
    expect(existsSync(copy)).toBe(false);
    const db = new Database(roFile, { readonly: true });
    expect(db.prepare('SELECT count(*) AS n FROM owners').get()).toEqual({ n: 2 });
    db.close();
  });
});

describe('the database built-in on PostgreSQL', () => {
  it('lists the tables of the run\'s schema and describes one with its keys', async () => {
    const { tables } = (await call('pr__list_tables')).structuredContent as { tables: { schema: string; name: string }[] };
    expect(tables.filter((t) => t.schema === schema).map((t) => t.name)).toEqual(['owners', 'pets']);
    const pets = (await call('pr__describe_table', { schema, table: 'pets' })).structuredContent!;
    expect(pets.columns).toEqual([
      { name: 'id', type: 'integer', nullable: false, default: `nextval('${schema}.pets_id_seq'::regclass)`, primaryKey: true },
      { name: 'name', type: 'text', nullable: false, default: null, primaryKey: false },
      { name: 'owner_id', type: 'integer', nullable: true, default: null, primaryKey: false },
    ]);
    expect(pets.keys).toEqual([{ kind: 'foreign', columns: ['owner_id'], references: `${schema}.owners(id)` }, { kind: 'primary', columns: ['id'] }]);
    expect(await errorOf('pr__describe_table', { schema, table: 'pets" ; DROP TABLE x; --' })).toMatch(/is not a table or view/);
  });

  it('binds parameters as data and cuts rows and bytes', async () => {
    const injected = await call('pr__query', { sql: `SELECT count(*)::int FROM ${schema}.owners WHERE name = $1`, params: ["ann' OR '1'='1"] });
    expect(injected.structuredContent).toMatchObject({ rows: [[0]], truncated: false });
    const many = await call('pr__query', { sql: 'SELECT g FROM generate_series(1, 1000000) g' });
    expect(many.structuredContent).toEqual({ columns: ['g'], rows: [[1], [2], [3]], rowCount: 3, truncated: true });
    const wide = await call('pr__query', { sql: "SELECT repeat('x', 100000)" });
    expect(wide.structuredContent).toMatchObject({ rows: [], truncated: true });
  });

  it('refuses a write in the read-only transaction itself, several statements, a long statement', async () => {
    // A data-modifying CTE starts like a read: our check passes it, the transaction refuses it.
    const cte = await errorOf('pr__query', { sql: `WITH x AS (INSERT INTO ${schema}.owners (name) VALUES ($1) RETURNING id) SELECT * FROM x`, params: ['eve'] });
    expect(cte).toMatch(/cannot execute \w+ in a read-only transaction/);
    expect(await errorOf('pr__query', { sql: `SELECT nextval('${schema}.tickets')` })).toMatch(/cannot execute nextval\(\) in a read-only transaction/);
    expect(await errorOf('pr__query', { sql: `SELECT 1; DROP SCHEMA ${schema} CASCADE` })).toMatch(/one statement per call/);
    expect(await errorOf('pr__query', { sql: 'SELECT pg_sleep(30)' })).toMatch(/ran past statementTimeoutMs.*statement timeout/);
  });

  it('holds without its own check: a plain INSERT is refused by the read-only transaction', async () => {
    const plain = await errorOf('pc__query', { sql: `INSERT INTO ${schema}.owners (name) VALUES ('mallory')` });
    expect(plain).toMatch(/cannot execute INSERT in a read-only transaction/);
    expect((await admin.query(`SELECT count(*)::int AS n FROM ${schema}.owners WHERE name = 'mallory'`)).rows[0].n).toBe(0);
  });

  it('writes through execute where allowed, in one committed transaction', async () => {
    expect((await call('pw__execute', { sql: `INSERT INTO ${schema}.owners (name) VALUES ($1)`, params: ['cy'] })).structuredContent).toEqual({ rowsAffected: 1 });
    expect((await admin.query(`SELECT count(*)::int AS n FROM ${schema}.owners WHERE name = 'cy'`)).rows[0].n).toBe(1);
    expect(await errorOf('pw__execute', { sql: `DELETE FROM ${schema}.pets; DELETE FROM ${schema}.owners` })).toMatch(/one statement per call/);
  });
});

describe('a database entry in the config', () => {
  it('derives the cage: the SQLite folder only (ro unless writable), the PostgreSQL host:port only', () => {
    const config = parseConfig(
      { servers: { a: { builtin: 'database', url: 'sqlite:./data/app.db' }, b: { builtin: 'database', url: 'sqlite:/srv/x.db', readOnly: false }, c: { builtin: 'database', url: 'postgresql://u@db.internal:6543/app' }, d: { builtin: 'database' } } },
      { baseDir: '/etc/outlet' },
    );
    const sandbox = (name: string) => (config.servers[name] as { sandbox: { network: unknown; mounts: unknown[] } }).sandbox;
    expect(sandbox('a')).toMatchObject({ network: 'none', mounts: [{ path: outletPackageRoot(), mode: 'ro' }, { path: '/etc/outlet/data', mode: 'ro' }] });
    expect(sandbox('b')).toMatchObject({ network: 'none', mounts: [{ path: outletPackageRoot(), mode: 'ro' }, { path: '/srv', mode: 'rw' }] });
    expect(sandbox('c').network).toEqual({ allow: ['db.internal:6543'] });
    expect(sandbox('d')).toMatchObject({ network: 'none', mounts: [{ path: outletPackageRoot(), mode: 'ro' }] });
  });

  it('refuses a url it cannot cage', () => {
    expect(() => parseConfig({ servers: { a: { builtin: 'database', url: 'mysql://x/y' } } })).toThrow(/servers\.a\.url: expected "postgresql/);
    expect(() => parseConfig({ servers: { a: { builtin: 'database', url: 'postgresql:///db?host=/run/postgresql' } } })).toThrow(/one TCP host/);
  });
});
