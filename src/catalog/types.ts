// `ResourceTemplateType` is the wire shape of a listed template. The SDK's `ResourceTemplate`
// export is a different thing: the class a server uses to register one.
import type { Prompt, Resource, ResourceTemplateType, Tool } from '@modelcontextprotocol/server';

/**
 * What one connected upstream offers, as the catalog receives it.
 *
 * @example
 * const listing: UpstreamListing = {
 *   server: 'fs', prefix: 'fs',
 *   tools: [{ name: 'read_file', inputSchema: { type: 'object' } }],
 *   prompts: [], resources: [], resourceTemplates: [],
 *   toolFilter: { include: [], exclude: ['write_*'] },
 *   advertisesResources: true,
 * };
 */
export interface UpstreamListing {
  /** Config name of the server, e.g. "fs". */
  server: string;
  /** Namespace prefix for tool and prompt names (usually the server name). */
  prefix: string;
  tools: Tool[];
  prompts: Prompt[];
  resources: Resource[];
  resourceTemplates: ResourceTemplateType[];
  /** Globs over the upstream's own (unprefixed) tool names; an empty `include` means all. */
  toolFilter: { include: string[]; exclude: string[] };
  /** The upstream declared the `resources` capability. */
  advertisesResources: boolean;
}

/**
 * How the catalog publishes names.
 *
 * @example
 * const options: CatalogOptions = { separator: '__', maxNameLength: 64 };
 */
export interface CatalogOptions {
  /** Placed between prefix and name: `fs` + `__` + `read_file`. */
  separator: string;
  /** Longest published tool or prompt name, in characters. Defaults to {@link DEFAULT_MAX_NAME_LENGTH}. */
  maxNameLength?: number;
}

/** Most MCP clients refuse tool names over 64 characters, so that is the default ceiling. */
export const DEFAULT_MAX_NAME_LENGTH = 64;

/** The four kinds of entry the catalog merges. */
export type CatalogKind = 'tool' | 'prompt' | 'resource' | 'resourceTemplate';

/**
 * An entry the catalog withheld, and why. `name` is the upstream's own name (for resources the
 * URI, for templates the URI template); the message shows the published form where there is one.
 *
 * @example
 * for (const p of catalog.problems) log.warn({ server: p.server, code: p.code }, p.message);
 */
export interface CatalogProblem {
  server: string;
  kind: CatalogKind;
  name: string;
  code: 'name-too-long' | 'collision';
  message: string;
}

/**
 * One server's entries under their own names, for the per-server endpoint `/servers/<name>/mcp`.
 *
 * @example
 * const view: ServerView | undefined = catalog.forServer('fs');
 */
export interface ServerView {
  tools: Tool[];
  prompts: Prompt[];
  resources: Resource[];
  resourceTemplates: ResourceTemplateType[];
}

/**
 * Where a published tool or prompt name leads: the owning server and the upstream's own name.
 *
 * @example
 * const route: Route = catalog.resolveTool('fs__read_file'); // { server: 'fs', name: 'read_file' }
 */
export interface Route {
  server: string;
  name: string;
}
