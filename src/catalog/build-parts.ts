import type { Prompt, Resource, ResourceTemplateType, Tool } from '@modelcontextprotocol/server';
import { OutletError } from '../errors/index.js';
import { publishNames } from './named-entries.js';
import { compareCodePoints } from './order.js';
import { publishResources, type ResourceRouter } from './resource-router.js';
import { buildServerView } from './server-view.js';
import { createToolFilter } from './tool-filter.js';
import {
  DEFAULT_MAX_NAME_LENGTH,
  type CatalogOptions,
  type CatalogProblem,
  type Route,
  type ServerView,
  type UpstreamListing,
} from './types.js';

/** Everything a {@link Catalog} answers from, computed once per build. */
export interface CatalogParts {
  tools: Tool[];
  prompts: Prompt[];
  resources: Resource[];
  resourceTemplates: ResourceTemplateType[];
  toolRoutes: Map<string, Route>;
  promptRoutes: Map<string, Route>;
  router: ResourceRouter;
  /** Per-server views, keyed in catalog order (so the keys double as the sorted server list). */
  views: Map<string, ServerView>;
  problems: CatalogProblem[];
}

/**
 * Sorts listings by server name (code point order) and rejects a server listed twice, which is a
 * caller bug (one connection per upstream) rather than a catalog problem to report.
 */
function inCatalogOrder(listings: readonly UpstreamListing[]): UpstreamListing[] {
  // Sort a copy: listings arrive as upstreams finish connecting, and "first wins" must not depend
  // on which one was quicker.
  const sorted = [...listings].sort((a, b) => compareCodePoints(a.server, b.server));
  sorted.forEach((listing, i) => {
    if (i > 0 && sorted[i - 1]?.server === listing.server) {
      throw new OutletError('CATALOG_CONFLICT', `Server "${listing.server}" was listed twice`, {
        server: listing.server,
      });
    }
  });
  return sorted;
}

/**
 * Computes the aggregate lists, the routing maps and the per-server views from raw listings.
 *
 * @example
 * const parts = buildCatalogParts(listings, { separator: '__' });
 * parts.toolRoutes.get('fs__read_file'); // { server: 'fs', name: 'read_file' }
 */
export function buildCatalogParts(listings: readonly UpstreamListing[], options: CatalogOptions): CatalogParts {
  const { separator } = options;
  const limit = options.maxNameLength ?? DEFAULT_MAX_NAME_LENGTH;
  const sorted = inCatalogOrder(listings);

  const views = new Map<string, ServerView>();
  const toolSources = sorted.map((listing) => {
    const keep = createToolFilter(listing.toolFilter);
    views.set(listing.server, buildServerView(listing, keep, limit));
    return { server: listing.server, prefix: listing.prefix, items: listing.tools.filter((t) => keep(t.name)) };
  });
  const promptSources = sorted.map(({ server, prefix, prompts }) => ({ server, prefix, items: prompts }));

  const tools = publishNames('tool', toolSources, separator, limit);
  const prompts = publishNames('prompt', promptSources, separator, limit);
  const resources = publishResources(sorted);
  return {
    tools: tools.items,
    prompts: prompts.items,
    resources: resources.resources,
    resourceTemplates: resources.resourceTemplates,
    toolRoutes: tools.routes,
    promptRoutes: prompts.routes,
    router: resources.router,
    views,
    problems: [...tools.problems, ...prompts.problems, ...resources.problems],
  };
}
