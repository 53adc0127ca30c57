import type { Prompt, Resource, ResourceTemplateType, Tool } from '@modelcontextprotocol/server';
import { OutletError } from '../errors/index.js';
import { buildCatalogParts, type CatalogParts } from './build-parts.js';
import type { CatalogOptions, CatalogProblem, Route, ServerView, UpstreamListing } from './types.js';

/**
 * One merged, immutable view of every connected upstream's tools, prompts, resources and resource
 * templates, and the routing from a published name or URI back to its server. Rebuild it whenever
 * an upstream connects, disconnects or changes its lists; the result does not depend on the order
 * the listings arrive in.
 *
 * @example
 * const catalog = Catalog.build(listings, { separator: '__' });
 * catalog.tools().map((t) => t.name);    // ['fs__read_file', 'mem__create_entities', ...]
 * catalog.resolveTool('fs__read_file');  // { server: 'fs', name: 'read_file' }
 * for (const p of catalog.problems) console.warn(p.message);
 */
export class Catalog {
  /** Everything withheld while building: tool problems, then prompts, resources, templates; each in catalog order. */
  readonly problems: CatalogProblem[];
  /** Placed between a server's prefix and its own names. */
  readonly separator: string;
  readonly #parts: CatalogParts;
  #toolsByName?: Map<string, Tool>;
  readonly #serverToolsByName = new Map<string, Map<string, Tool>>();

  private constructor(parts: CatalogParts, separator: string) {
    this.#parts = parts;
    this.separator = separator;
    this.problems = parts.problems;
  }

  /**
   * Merges the listings. What cannot be published is withheld and reported in
   * {@link Catalog.problems}; only a server listed twice (a caller bug) throws `CATALOG_CONFLICT`.
   */
  static build(listings: UpstreamListing[], options: CatalogOptions): Catalog {
    return new Catalog(buildCatalogParts(listings, options), options.separator);
  }

  /** Published tools, namespaced. A fresh array each call; the entries are shared, so do not mutate them. */
  tools(): Tool[] {
    return [...this.#parts.tools];
  }

  /** Published prompts, namespaced. */
  prompts(): Prompt[] {
    return [...this.#parts.prompts];
  }

  /** Published resources; URIs are the upstreams' own. */
  resources(): Resource[] {
    return [...this.#parts.resources];
  }

  /** Published resource templates; template strings are the upstreams' own. */
  resourceTemplates(): ResourceTemplateType[] {
    return [...this.#parts.resourceTemplates];
  }

  /** One server's entries under their own names, or `undefined` if the server is not in the catalog. */
  forServer(server: string): ServerView | undefined {
    const view = this.#parts.views.get(server);
    if (view === undefined) return undefined;
    return {
      tools: [...view.tools],
      prompts: [...view.prompts],
      resources: [...view.resources],
      resourceTemplates: [...view.resourceTemplates],
    };
  }

  /** A published tool's definition (for checks that need its schema), or `undefined`. Built on first use. */
  tool(published: string): Tool | undefined {
    this.#toolsByName ??= new Map(this.#parts.tools.map((t) => [t.name, t]));
    return this.#toolsByName.get(published);
  }

  /** One server's tool under its own name, or `undefined`. */
  serverTool(server: string, name: string): Tool | undefined {
    let byName = this.#serverToolsByName.get(server);
    if (!byName) {
      const view = this.#parts.views.get(server);
      if (!view) return undefined;
      byName = new Map(view.tools.map((t) => [t.name, t]));
      this.#serverToolsByName.set(server, byName);
    }
    return byName.get(name);
  }

  /** True when one server's own view publishes a prompt of that (unprefixed) name. */
  hasServerPrompt(server: string, name: string): boolean {
    return this.#parts.views.get(server)?.prompts.some((p) => p.name === name) ?? false;
  }

  /** True when the catalog holds a listing of the server (live or remembered), even an empty one. */
  hasServer(server: string): boolean {
    return this.#parts.views.has(server);
  }

  /** The server and upstream name behind a published tool name; a withheld tool is unknown. */
  resolveTool(published: string): Route {
    const route = this.#parts.toolRoutes.get(published);
    if (route === undefined) throw new OutletError('UNKNOWN_TOOL', `Unknown tool "${published}"`, { tool: published });
    return { ...route };
  }

  /** The server and upstream name behind a published prompt name; a withheld prompt is unknown. */
  resolvePrompt(published: string): Route {
    const route = this.#parts.promptRoutes.get(published);
    if (route === undefined) {
      throw new OutletError('UNKNOWN_PROMPT', `Unknown prompt "${published}"`, { prompt: published });
    }
    return { ...route };
  }

  /** The server that should answer for `uri`: listed URI, then matching template, then the only resource server. */
  resolveResource(uri: string): { server: string } {
    return this.#parts.router.resolve(uri);
  }

  /** Every server in the catalog, in code point order, including those that publish nothing. */
  servers(): string[] {
    return [...this.#parts.views.keys()];
  }
}
