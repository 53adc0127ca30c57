import { charLength } from './order.js';
import { collision, nameTooLong } from './problems.js';
import type { CatalogProblem, Route } from './types.js';

/** One upstream's tools or prompts, already filtered, in the upstream's order. */
export interface NamedSource<T extends { name: string }> {
  server: string;
  prefix: string;
  items: T[];
}

/** The aggregated, namespaced result for one kind. */
export interface PublishedNames<T> {
  items: T[];
  routes: Map<string, Route>;
  problems: CatalogProblem[];
}

/**
 * Namespaces tools or prompts as `<prefix><separator><name>`, withholding names over the limit and
 * any name already taken by an earlier entry. Sources must already be in catalog order: "first
 * wins" is only deterministic if the order is. Each published entry is a shallow copy with only
 * `name` replaced, so everything else reaches clients exactly as the upstream sent it.
 *
 * @example
 * const { items, routes } = publishNames('tool', [{ server: 'fs', prefix: 'fs', items: tools }], '__', 64);
 * routes.get('fs__read_file'); // { server: 'fs', name: 'read_file' }
 */
export function publishNames<T extends { name: string }>(
  kind: 'tool' | 'prompt',
  sources: NamedSource<T>[],
  separator: string,
  limit: number,
): PublishedNames<T> {
  const items: T[] = [];
  const routes = new Map<string, Route>();
  const problems: CatalogProblem[] = [];
  for (const { server, prefix, items: entries } of sources) {
    for (const entry of entries) {
      const name = entry.name;
      const published = `${prefix}${separator}${name}`;
      if (charLength(published) > limit) {
        problems.push(nameTooLong({ server, kind, name, published, separator, limit }));
        continue;
      }
      const owner = routes.get(published);
      if (owner !== undefined) {
        problems.push(collision({ server, kind, name, key: published, owner }));
        continue;
      }
      routes.set(published, { server, name });
      items.push({ ...entry, name: published });
    }
  }
  return { items, routes, problems };
}
