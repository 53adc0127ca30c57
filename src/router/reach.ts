import type { Catalog, Route } from '../catalog/index.js';
import { createToolFilter } from '../catalog/tool-filter.js';
import { OutletError } from '../errors/index.js';
import type { RequestScope } from '../policy/call-context.js';

/** A configured server as reach decisions see it: its namespace prefix and tool filter. */
export interface ReachServer {
  name: string;
  prefix: string;
  tools: { include: string[]; exclude: string[] };
}

/**
 * The one place that decides which tool or prompt a request may reach, for every way in: the
 * aggregated endpoint (`/mcp`, `/sse`, `/rpc` without a server name, REST, stdio) and one server's
 * own endpoint (`/servers/<name>/mcp`, `/servers/<name>/sse`, `/rpc` with `outlet/serverName`).
 * Both read the same catalog, which applies each server's `tools` filter and name limits, so a
 * tool an operator excluded is unknown on every route rather than only on the one that lists it.
 *
 * A server the catalog has never had a listing from (still on its first start, or failing to
 * start) cannot say what it offers: a name under its prefix that its filter lets through is routed
 * to it, so the caller hears that the server is unavailable and why, instead of "unknown tool".
 */
export class Reach {
  constructor(private readonly servers: () => Iterable<ReachServer>) {}

  /** The server and upstream name a `tools/call` goes to, or UNKNOWN_TOOL. */
  tool(catalog: Catalog, scope: RequestScope, name: string): Route {
    if (scope.kind === 'server') {
      const { server } = scope;
      if (catalog.hasServer(server) ? catalog.serverTool(server, name) : this.filterKeeps(server, name)) return { server, name };
      throw unknownTool(name);
    }
    try {
      return catalog.resolveTool(name);
    } catch (err) {
      return this.unlisted(catalog, name) ?? rethrow(err);
    }
  }

  /** The server and upstream name a `prompts/get` goes to, or UNKNOWN_PROMPT. */
  prompt(catalog: Catalog, scope: RequestScope, name: string): Route {
    if (scope.kind === 'aggregate') return catalog.resolvePrompt(name);
    const { server } = scope;
    if (!catalog.hasServer(server) || catalog.hasServerPrompt(server, name)) return { server, name };
    throw new OutletError('UNKNOWN_PROMPT', `Unknown prompt "${name}"`, { prompt: name });
  }

  /** A published name under the prefix of a server with no listing yet, kept by its filter. */
  private unlisted(catalog: Catalog, published: string): Route | undefined {
    let best: { server: ReachServer; own: string } | undefined;
    for (const server of this.servers()) {
      if (catalog.hasServer(server.name) || !published.startsWith(server.prefix)) continue;
      const rest = published.slice(server.prefix.length);
      const separator = catalog.separator;
      if (!rest.startsWith(separator) || (best && best.server.prefix.length >= server.prefix.length)) continue;
      best = { server, own: rest.slice(separator.length) };
    }
    if (!best || !createToolFilter(best.server.tools)(best.own)) return undefined;
    return { server: best.server.name, name: best.own };
  }

  private filterKeeps(server: string, name: string): boolean {
    for (const s of this.servers()) if (s.name === server) return createToolFilter(s.tools)(name);
    return true;
  }
}

function unknownTool(name: string): OutletError {
  return new OutletError('UNKNOWN_TOOL', `Unknown tool "${name}"`, { tool: name });
}

function rethrow(err: unknown): never {
  throw err;
}
