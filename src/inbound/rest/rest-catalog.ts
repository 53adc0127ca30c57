import type { Tool } from '@modelcontextprotocol/server';
import type { Catalog } from '../../catalog/index.js';
import type { Handler, Principal } from '../../policy/call-context.js';
import { runDirectCall } from '../../protocol/direct-call.js';

/** One tool as `GET /api/tools` and the OpenAPI document present it. */
export interface RestTool {
  /** The published (namespaced) name, e.g. `memory__read_graph`. */
  name: string;
  title?: string;
  description?: string;
  /** The configured server that owns the tool. */
  server: string;
  inputSchema: Record<string, unknown>;
  outputSchema?: Record<string, unknown>;
  annotations?: Record<string, unknown>;
}

/** Who is asking, as the HTTP layer knows it. */
export interface RestCaller {
  principal?: Principal;
  headers?: Headers;
  signal?: AbortSignal;
}

/** A bound on pages, so a cursor that never runs out cannot hold a request forever. */
const MAX_PAGES = 1000;

/**
 * The tools this caller may see, in catalog order. The list goes through the gateway's handler
 * like an MCP `tools/list`, so authorization and pinning remove what the caller must not see
 * (the REST surface never shows more than the MCP one), and every page is followed.
 */
export async function listCallerTools(handle: Handler, catalog: () => Catalog, caller: RestCaller): Promise<RestTool[]> {
  const tools: Tool[] = [];
  const seen = new Set<string>();
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const result = await runDirectCall(handle, {
      method: 'tools/list',
      params: cursor !== undefined ? { cursor } : {},
      scope: { kind: 'aggregate' },
      transport: 'rest',
      ...(caller.principal ? { principal: caller.principal } : {}),
      ...(caller.headers ? { headers: caller.headers } : {}),
      ...(caller.signal ? { signal: caller.signal } : {}),
    });
    const listed = (result as { tools?: unknown }).tools;
    if (Array.isArray(listed)) tools.push(...(listed as Tool[]));
    const next = (result as { nextCursor?: unknown }).nextCursor;
    if (typeof next !== 'string' || seen.has(next)) break;
    seen.add(next);
    cursor = next;
  }
  // Resolved against the catalog as of now: a tool whose server left since the list was made is
  // not callable either, so it is dropped rather than shown without an owner.
  const current = catalog();
  const out: RestTool[] = [];
  for (const tool of tools) {
    const server = serverOf(current, tool.name);
    if (server !== undefined) out.push(restTool(tool, server));
  }
  return out;
}

function serverOf(catalog: Catalog, published: string): string | undefined {
  try {
    return catalog.resolveTool(published).server;
  } catch {
    return undefined;
  }
}

function restTool(tool: Tool, server: string): RestTool {
  return {
    name: tool.name,
    ...(tool.title !== undefined ? { title: tool.title } : {}),
    ...(tool.description !== undefined ? { description: tool.description } : {}),
    server,
    inputSchema: tool.inputSchema as Record<string, unknown>,
    ...(tool.outputSchema !== undefined ? { outputSchema: tool.outputSchema as Record<string, unknown> } : {}),
    ...(tool.annotations !== undefined ? { annotations: tool.annotations as Record<string, unknown> } : {}),
  };
}
