import type { Tool } from '@modelcontextprotocol/server';
import type { UpstreamListing } from '../../src/catalog/index.js';

/** A listing with empty lists and no filter; override what a test cares about. */
export function listing(server: string, overrides: Partial<UpstreamListing> = {}): UpstreamListing {
  return {
    server,
    prefix: server,
    tools: [],
    prompts: [],
    resources: [],
    resourceTemplates: [],
    toolFilter: { include: [], exclude: [] },
    advertisesResources: false,
    ...overrides,
  };
}

/** Minimal valid tools, in the order given. */
export function tools(...names: string[]): Tool[] {
  return names.map((name) => ({ name, inputSchema: { type: 'object' } }));
}

/** Names of anything with a name, to compare lists compactly. */
export function names(items: readonly { name: string }[]): string[] {
  return items.map((item) => item.name);
}
