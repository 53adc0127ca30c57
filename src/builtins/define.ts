import type { CallToolResult, ToolAnnotations } from '@modelcontextprotocol/server';
import type * as z from 'zod';

/** What a tool's `run` gets besides its arguments. */
export interface ToolRunContext {
  /** Aborted when the caller cancels the call or the server shuts down. */
  signal: AbortSignal;
}

/**
 * What `run` may return: a string (one text block), a value matching `output` (structured
 * content, with its JSON as text), or a whole CallToolResult when the tool needs other content.
 */
export type ToolAnswer<O extends z.ZodObject | undefined> = string | (O extends z.ZodObject ? z.output<O> : never) | CallToolResult;

export interface ToolDefinition<I extends z.ZodObject = z.ZodObject, O extends z.ZodObject | undefined = z.ZodObject | undefined> {
  name: string;
  title?: string;
  description: string;
  input: I;
  output?: O;
  /** Say honestly what the tool does: clients decide what to confirm from these. */
  annotations: ToolAnnotations & { readOnlyHint: boolean };
  /** Throw to answer a tool error (isError) with the error's message. */
  run(args: z.output<I>, context: ToolRunContext): ToolAnswer<O> | Promise<ToolAnswer<O>>;
}

export interface ServerDefinition {
  name: string;
  version: string;
  instructions?: string;
  tools: readonly ToolDefinition[];
}

/**
 * One tool of a server: its name, what it does, its arguments as a zod object (the schema clients
 * see and the SDK checks calls against), optionally its result's shape, and the function that runs it.
 *
 * @example
 * const add = defineTool({
 *   name: 'add', description: 'Adds two numbers.', input: z.object({ a: z.number(), b: z.number() }),
 *   output: z.object({ sum: z.number() }), annotations: { readOnlyHint: true },
 *   run: ({ a, b }) => ({ sum: a + b }),
 * });
 */
export function defineTool<I extends z.ZodObject, O extends z.ZodObject | undefined = undefined>(tool: ToolDefinition<I, O>): ToolDefinition<I, O> {
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(tool.name)) throw new Error(`defineTool: "${tool.name}" is not a valid tool name (1-64 of A-Z a-z 0-9 _ . -)`);
  return tool;
}

/**
 * A server made of tools, served over stdio by `serveOverStdio` (or `outlet builtin <name>` for
 * the built-ins): an ordinary MCP server the outlet supervises and cages like any other.
 */
export function defineServer(server: { name: string; version?: string; instructions?: string; tools: readonly ToolDefinition<z.ZodObject, z.ZodObject | undefined>[] }): ServerDefinition {
  const names = new Set<string>();
  for (const tool of server.tools) {
    if (names.has(tool.name)) throw new Error(`defineServer: two tools named "${tool.name}"`);
    names.add(tool.name);
  }
  return { name: server.name, version: server.version ?? '1.0.0', ...(server.instructions ? { instructions: server.instructions } : {}), tools: server.tools as readonly ToolDefinition[] };
}
