import { dirname, isAbsolute, resolve as resolvePath } from 'node:path';
import * as z from 'zod';
import type { SandboxProfileInput } from '../sandbox-schema.js';
import { builtinSpec } from './builtin-spec.js';

/** Where a database url points: a PostgreSQL server (host and port) or a SQLite file. */
export type DatabaseTarget =
  | { kind: 'postgres'; url: string; host: string; port: number }
  | { kind: 'sqlite'; path: string }
  /** No url: a SQLite file in the server's own scratch (HOME inside the sandbox). */
  | { kind: 'scratch' };

/**
 * Reads a url without touching the network or the disk. PostgreSQL over TCP only: a socket
 * directory (`?host=/run/postgresql`) and multi-host urls are refused, since the cage below is
 * derived from the one host:port the url names.
 */
export function parseDatabaseUrl(url: string, baseDir: string): DatabaseTarget | { problem: string } {
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (path === '' || path === ':memory:') return { problem: 'sqlite: needs a file path, as in "sqlite:./data/app.db"' };
    return { kind: 'sqlite', path: isAbsolute(path) ? path : resolvePath(baseDir, path) };
  }
  if (!/^postgres(ql)?:\/\//.test(url)) return { problem: 'expected "postgresql://host[:port]/db" or "sqlite:path"' };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { problem: 'not a valid postgresql:// url' };
  }
  if (parsed.hostname === '' || parsed.hostname.includes(',') || parsed.searchParams.has('host') || parsed.searchParams.has('hostaddr')) {
    return { problem: 'name one TCP host in the url (no socket directory, no host list): the sandbox admits exactly that host:port' };
  }
  return { kind: 'postgres', url, host: parsed.hostname, port: parsed.port === '' ? 5432 : Number(parsed.port) };
}

const url = z
  .string()
  .min(1)
  .superRefine((value, ctx) => {
    const parsed = parseDatabaseUrl(value, '/');
    if ('problem' in parsed) ctx.addIssue({ code: 'custom', message: parsed.problem });
  });

/**
 * `database`: list tables, describe one, run one read statement (and, when `readOnly` is false,
 * one write). PostgreSQL through `pg`, SQLite through better-sqlite3.
 */
export const databaseBuiltin = builtinSpec({
  name: 'database',
  description:
    'Lists tables, describes one, runs one SELECT-like statement with parameters (and one write when readOnly is false) on a PostgreSQL server or a SQLite file. Read-only by default; reaches only the configured database.',
  options: {
    url: url.optional().describe('"postgresql://user@host:port/db" or "sqlite:path" (relative to the config file). Default: a SQLite file in the server\'s scratch (HOME in the sandbox).'),
    readOnly: z.boolean().default(true).describe('Read-only transactions (PostgreSQL) or a read-only open and mount (SQLite); `execute` is listed only when false. Default: true.'),
    maxRows: z.int().min(1).max(100_000).default(1000).describe('Rows a query returns at most; more are cut and `truncated` is true. Default: 1000.'),
    statementTimeoutMs: z.int().min(100).max(600_000).default(10_000).describe('Time one statement may run (PostgreSQL statement_timeout; SQLite: its worker process is killed). Default: 10000.'),
    maxResultBytes: z.int().min(1024).max(64 * 1024 * 1024).default(1_000_000).describe('JSON size of the rows a query returns at most; rows past it are cut and `truncated` is true. Default: 1000000.'),
  },
  resolve: (options, baseDir) => {
    const target = options.url === undefined ? { kind: 'scratch' as const } : parseDatabaseUrl(options.url, baseDir);
    if ('problem' in target) throw new Error(`url: ${target.problem}`);
    return { target, readOnly: options.readOnly, maxRows: options.maxRows, timeoutMs: options.statementTimeoutMs, maxResultBytes: options.maxResultBytes };
  },
  sandbox: (resolved): SandboxProfileInput => {
    const target = resolved.target as DatabaseTarget;
    if (target.kind === 'scratch') return { network: 'none' };
    // SQLite writes its journal next to the file: the folder is the unit, read-only unless writes are allowed.
    if (target.kind === 'sqlite') return { network: 'none', mounts: [{ path: dirname(target.path), mode: resolved.readOnly === false ? 'rw' : 'ro' }] };
    // PostgreSQL: the egress proxy admits this one host:port, and its CONNECT tunnel carries the
    // raw wire protocol (src/builtins/database/pg-proxy-stream.ts). What the cage does not narrow:
    // which database, role or schema on that server is used (that is the server's own grants),
    // and what travels inside the tunnel.
    const host = target.host.includes(':') && !target.host.startsWith('[') ? `[${target.host}]` : target.host;
    return { network: { allow: [`${host}:${target.port}`] } };
  },
});
