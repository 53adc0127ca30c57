import type { Result, Tool } from '@modelcontextprotocol/server';
import type { Catalog } from '../catalog/index.js';
import { SEARCH_LIMIT } from '../catalog/code-mode/code-mode-tools.js';
import { ToolSearchIndex } from '../catalog/code-mode/tool-search.js';
import { renderSearchResult } from '../catalog/code-mode/tool-declarations.js';
import { OutletError } from '../errors/index.js';
import type { CallContext, Handler } from '../policy/call-context.js';
import { visibleTools } from './inner-call.js';


/** Search indexes by catalog and endpoint: a catalog is rebuilt on list_changed and reload, and its index with it. */
const indexes = new WeakMap<Catalog, Map<string, { index: ToolSearchIndex; size: number }>>();

/**
 * search_tools: ranked search over the tools the caller may call, each hit as a TypeScript
 * declaration. The index covers the endpoint's whole catalog and is built once per catalog;
 * which hits the caller may see is asked of the policy chain (an inner tools/list as the same
 * principal), so a denied or withheld tool is never found.
 */
export async function searchCatalog(ctx: CallContext, currentCatalog: () => Catalog, reenter: Handler): Promise<Result> {
  const catalog = currentCatalog();
  const { query, limit } = searchArguments(ctx.params.arguments);
  const { index, size } = indexFor(catalog, ctx);
  const tools = await visibleTools(reenter, ctx);
  // The chain only ever removes entries: a list as long as the one indexed, from the same catalog,
  // is all of it, and needs no filter (the common case, and a 10,000-name set saved per search).
  const whole = tools.length === size && currentCatalog() === catalog;
  const visible = whole ? undefined : new Set(tools.map((tool) => tool.name));
  const found = index.search(query, { limit, ...(visible ? { visible: (name: string) => visible.has(name) } : {}) });
  return { content: [{ type: 'text', text: renderSearchResult(found.hits, found.total, query) }] };
}

function indexFor(catalog: Catalog, ctx: CallContext): { index: ToolSearchIndex; size: number } {
  const key = ctx.scope.kind === 'server' ? `server:${ctx.scope.server}` : 'aggregate';
  let byScope = indexes.get(catalog);
  if (!byScope) indexes.set(catalog, (byScope = new Map()));
  let entry = byScope.get(key);
  if (!entry) {
    const tools: Tool[] = ctx.scope.kind === 'server' ? (catalog.forServer(ctx.scope.server)?.tools ?? []) : catalog.tools();
    entry = { index: ToolSearchIndex.for(tools), size: tools.length };
    byScope.set(key, entry);
  }
  return entry;
}

function searchArguments(args: unknown): { query: string; limit: number } {
  const { query, limit } = (typeof args === 'object' && args !== null ? args : {}) as { query?: unknown; limit?: unknown };
  if (typeof query !== 'string') throw new OutletError('INVALID_PARAMS', 'search_tools: arguments.query must be a string (words to look for; "" lists the first tools)', { path: 'params.arguments.query' });
  if (limit !== undefined && (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > SEARCH_LIMIT.max)) {
    throw new OutletError('INVALID_PARAMS', `search_tools: arguments.limit must be an integer from 1 to ${SEARCH_LIMIT.max}`, { path: 'params.arguments.limit' });
  }
  return { query, limit: (limit as number | undefined) ?? SEARCH_LIMIT.default };
}
