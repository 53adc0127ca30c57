import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import * as z from 'zod';
import { defineServer, defineTool, type ServerDefinition, type ToolDefinition } from '../define.js';
import type { DatabaseBackend, Limits } from './backend.js';
import { pgBackend } from './pg-backend.js';
import { sqliteBackend } from './sqlite-backend.js';

/** The options as the config resolved them (src/config/builtins/database.ts). */
export interface DatabaseServerOptions extends Limits {
  target: { kind: 'postgres'; url: string } | { kind: 'sqlite'; path: string } | { kind: 'scratch' };
  readOnly: boolean;
}

/** The default database's file: in HOME, which the sandbox makes the server's own scratch directory. */
export const SCRATCH_DATABASE = 'outlet-database.sqlite';

const param = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const statement = z.object({
  sql: z.string().min(1).max(100_000).describe('One SQL statement; placeholders $1, $2 (PostgreSQL) or ? (SQLite)'),
  params: z.array(param).max(1000).default([]).describe('Values for the placeholders, in order; always sent as data, never as SQL'),
});
const rowsOutput = z.object({ columns: z.array(z.string()), rows: z.array(z.array(z.unknown())), rowCount: z.number(), truncated: z.boolean() });

function open(options: DatabaseServerOptions): { backend: DatabaseBackend; engine: string } {
  const { target, readOnly } = options;
  if (target.kind === 'postgres') return { backend: pgBackend(target.url, readOnly, options), engine: 'PostgreSQL' };
  const path = target.kind === 'sqlite' ? target.path : join(process.env.HOME ?? homedir(), SCRATCH_DATABASE);
  // A read-only file that does not exist is a mistake in the url; the scratch database starts empty.
  if (target.kind === 'sqlite' && !existsSync(path) && readOnly) throw new Error(`url: ${path} does not exist (a read-only database is not created)`);
  return { backend: sqliteBackend(path, readOnly, target.kind === 'scratch' || !readOnly, options), engine: 'SQLite' };
}

/** The `database` built-in: list_tables, describe_table, query, and execute when writes are allowed. */
export function databaseServer(options: DatabaseServerOptions): ServerDefinition {
  const { backend, engine } = open(options);
  const tools: ToolDefinition<z.ZodObject, z.ZodObject | undefined>[] = [
    defineTool({
      name: 'list_tables',
      description: `Tables and views of the ${engine} database.`,
      input: z.object({}),
      output: z.object({ tables: z.array(z.object({ schema: z.string().optional(), name: z.string(), type: z.string() })) }),
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
      run: async () => ({ tables: await backend.listTables() }),
    }),
    defineTool({
      name: 'describe_table',
      description: 'Columns of one table or view (name, type, nullable, default) and its primary, unique and foreign keys.',
      input: z.object({
        table: z.string().min(1).max(255).describe('Table name as list_tables gives it'),
        ...(engine === 'PostgreSQL' ? { schema: z.string().min(1).max(255).optional().describe('Schema; default: the first of the search path') } : {}),
      }),
      output: z.object({
        schema: z.string().optional(),
        name: z.string(),
        columns: z.array(z.object({ name: z.string(), type: z.string(), nullable: z.boolean(), default: z.string().nullable(), primaryKey: z.boolean() })),
        keys: z.array(z.object({ kind: z.enum(['primary', 'unique', 'foreign']), columns: z.array(z.string()), references: z.string().optional() })),
      }),
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
      run: async (args) => {
        const { table, schema } = args as { table: string; schema?: string };
        const info = await backend.describeTable(table, schema);
        if (!info) throw new Error(`table: ${JSON.stringify(table)}${schema ? ` in schema ${JSON.stringify(schema)}` : ''} is not a table or view of this database (see list_tables)`);
        return info;
      },
    }),
    defineTool({
      name: 'query',
      description: `Runs one read statement (SELECT, WITH, VALUES...) with positional parameters. At most ${options.maxRows} rows and ${options.maxResultBytes} bytes come back (truncated says when more were cut); ${options.timeoutMs} ms per statement. Writes are refused by the database itself.`,
      input: statement,
      output: rowsOutput,
      annotations: { readOnlyHint: true, openWorldHint: false },
      run: ({ sql, params }, { signal }) => backend.query(sql, params, signal),
    }),
  ];
  if (!options.readOnly) {
    tools.push(
      defineTool({
        name: 'execute',
        description: `Runs one statement that changes the database (INSERT, UPDATE, DELETE, CREATE...) with positional parameters, and says how many rows it changed. ${options.timeoutMs} ms per statement.`,
        input: statement,
        output: z.object({ rowsAffected: z.number() }),
        annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
        run: ({ sql, params }, { signal }) => backend.execute(sql, params, signal),
      }) as unknown as ToolDefinition<z.ZodObject, z.ZodObject | undefined>,
    );
  }
  const close = () => void backend.close();
  process.once('exit', close);
  return defineServer({ name: 'outlet-database', tools });
}
