import { charLength } from './order.js';
import type { ServerView, UpstreamListing } from './types.js';

/** Keeps the first entry per key, in order: a duplicate would be ambiguous to call. */
function firstPerKey<T>(items: readonly T[], keyOf: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const key = keyOf(item);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * One server's entries under their own names, for `/servers/<name>/mcp`. The same rules as the
 * aggregate apply (tool filter, length limit, first of duplicates wins) but to unprefixed names.
 * No problems come out of here: anything withheld in this view is also withheld, and reported,
 * in the aggregate, whose names are strictly longer.
 *
 * @example
 * const view = buildServerView(listing, createToolFilter(listing.toolFilter), 64);
 * view.tools.map((t) => t.name); // ['read_file', 'list_directory']
 */
export function buildServerView(
  listing: UpstreamListing,
  keepTool: (name: string) => boolean,
  limit: number,
): ServerView {
  const fits = (entry: { name: string }): boolean => charLength(entry.name) <= limit;
  const tools = listing.tools.filter((tool) => keepTool(tool.name) && fits(tool));
  return {
    tools: firstPerKey(tools, (tool) => tool.name),
    prompts: firstPerKey(listing.prompts.filter(fits), (prompt) => prompt.name),
    resources: firstPerKey(listing.resources, (resource) => resource.uri),
    resourceTemplates: firstPerKey(listing.resourceTemplates, (template) => template.uriTemplate),
  };
}
