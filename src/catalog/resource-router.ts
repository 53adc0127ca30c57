import { UriTemplate } from '@modelcontextprotocol/server';
import type { Resource, ResourceTemplateType } from '@modelcontextprotocol/server';
import { OutletError } from '../errors/index.js';
import { collision } from './problems.js';
import type { CatalogProblem, UpstreamListing } from './types.js';

/** A template parsed once at build time, so resolving a URI does not re-parse it. */
export interface CompiledTemplate {
  server: string;
  template: UriTemplate;
}

/** The aggregated resources and templates, plus the router that finds each URI's owner. */
export interface PublishedResources {
  resources: Resource[];
  resourceTemplates: ResourceTemplateType[];
  problems: CatalogProblem[];
  router: ResourceRouter;
}

/**
 * Finds which upstream owns a resource URI. URIs are published unprefixed (they are the
 * upstream's identifiers, and clients may hold them from earlier results), so routing goes by
 * ownership: exact listed URI, then a matching template, then the only server that serves
 * resources at all.
 *
 * @example
 * const { router } = publishResources(sortedListings);
 * router.resolve('file:///etc/hosts'); // { server: 'fs' }
 */
export class ResourceRouter {
  constructor(
    private readonly exact: ReadonlyMap<string, string>,
    private readonly templates: readonly CompiledTemplate[],
    private readonly advertisers: readonly string[],
  ) {}

  /** The owning server, or an `UNKNOWN_RESOURCE` error naming the servers that could have been asked. */
  resolve(uri: string): { server: string } {
    const listed = this.exact.get(uri);
    if (listed !== undefined) return { server: listed };
    for (const { server, template } of this.templates) {
      if (template.match(uri) !== null) return { server };
    }
    // Servers often serve URIs they never list (a filesystem server reading any file://), so a
    // lone resource server is the only sensible owner; with several, guessing would misroute.
    const [only, ...rest] = this.advertisers;
    if (only !== undefined && rest.length === 0) return { server: only };
    const why =
      this.advertisers.length === 0
        ? 'no connected server advertises resources'
        : `it could belong to any of the servers that advertise resources: ${this.advertisers.join(', ')}`;
    throw new OutletError(
      'UNKNOWN_RESOURCE',
      `Unknown resource "${uri}": no server lists it or has a matching template, and ${why}`,
      { uri, candidates: [...this.advertisers] },
    );
  }
}

/** A template string the SDK cannot parse can never match; it is still listed, as the upstream sent it. */
function compile(uriTemplate: string): UriTemplate | undefined {
  try {
    return new UriTemplate(uriTemplate);
  } catch {
    return undefined;
  }
}

/**
 * Merges resources and templates of listings already in catalog order. A URI (or template string)
 * listed by two entries goes to the first; the others are withheld and reported, never renamed.
 *
 * @example
 * const { resources, resourceTemplates, problems, router } = publishResources(sortedListings);
 */
export function publishResources(listings: readonly UpstreamListing[]): PublishedResources {
  const resources: Resource[] = [];
  const resourceTemplates: ResourceTemplateType[] = [];
  const problems: CatalogProblem[] = [];
  const exact = new Map<string, string>();
  const templateOwners = new Map<string, string>();
  const compiled: CompiledTemplate[] = [];
  const advertisers: string[] = [];

  for (const listing of listings) {
    const { server } = listing;
    if (listing.advertisesResources) advertisers.push(server);
    for (const resource of listing.resources) {
      const owner = exact.get(resource.uri);
      if (owner !== undefined) {
        const clash = { server: owner, name: resource.uri };
        problems.push(collision({ server, kind: 'resource', name: resource.uri, key: resource.uri, owner: clash }));
        continue;
      }
      exact.set(resource.uri, server);
      resources.push(resource);
    }
    for (const template of listing.resourceTemplates) {
      const text = template.uriTemplate;
      const owner = templateOwners.get(text);
      if (owner !== undefined) {
        const clash = { server: owner, name: text };
        problems.push(collision({ server, kind: 'resourceTemplate', name: text, key: text, owner: clash }));
        continue;
      }
      templateOwners.set(text, server);
      resourceTemplates.push(template);
      const parsed = compile(text);
      if (parsed !== undefined) compiled.push({ server, template: parsed });
    }
  }
  const router = new ResourceRouter(exact, compiled, advertisers);
  return { resources, resourceTemplates, problems, router };
}
