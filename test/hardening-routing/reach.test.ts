import type { Tool } from '@modelcontextprotocol/server';
import { describe, expect, it } from 'vitest';
import { Catalog, ListingMemory, type UpstreamListing } from '../../src/catalog/index.js';
import { Reach, type ReachServer } from '../../src/router/reach.js';

// The one decision of what a route may reach, without a running gateway: the same filter on the
// aggregate and on one server's own endpoint, remembered listings, and servers not yet listed.
const tool = (name: string): Tool => ({ name, inputSchema: { type: 'object' } });
const listing = (server: string, names: string[], exclude: string[] = []): UpstreamListing => ({
  server,
  prefix: server,
  tools: names.map(tool),
  prompts: [{ name: 'greet' }],
  resources: [],
  resourceTemplates: [],
  toolFilter: { include: [], exclude },
  advertisesResources: false,
});
const servers: ReachServer[] = [
  { name: 'fs', prefix: 'fs', tools: { include: [], exclude: ['write_*'] } },
  { name: 'late', prefix: 'late', tools: { include: [], exclude: ['danger'] } },
];
const reach = new Reach(() => servers);
const catalog = Catalog.build([listing('fs', ['read_file', 'write_file'], ['write_*'])], { separator: '__' });
const codeOf = (fn: () => unknown): unknown => {
  try {
    fn();
    return 'reached';
  } catch (err) {
    return (err as { code?: unknown }).code;
  }
};

describe('Reach', () => {
  it('refuses a filtered tool on both scopes and routes a kept one', () => {
    expect(reach.tool(catalog, { kind: 'aggregate' }, 'fs__read_file')).toEqual({ server: 'fs', name: 'read_file' });
    expect(reach.tool(catalog, { kind: 'server', server: 'fs' }, 'read_file')).toEqual({ server: 'fs', name: 'read_file' });
    expect(codeOf(() => reach.tool(catalog, { kind: 'aggregate' }, 'fs__write_file'))).toBe('UNKNOWN_TOOL');
    expect(codeOf(() => reach.tool(catalog, { kind: 'server', server: 'fs' }, 'write_file'))).toBe('UNKNOWN_TOOL');
    expect(codeOf(() => reach.tool(catalog, { kind: 'server', server: 'fs' }, 'no_such_tool'))).toBe('UNKNOWN_TOOL');
  });

  it('routes a name of a server with no listing yet to it (so it can say it is down), unless its filter removes it', () => {
    expect(reach.tool(catalog, { kind: 'aggregate' }, 'late__anything')).toEqual({ server: 'late', name: 'anything' });
    expect(reach.tool(catalog, { kind: 'server', server: 'late' }, 'anything')).toEqual({ server: 'late', name: 'anything' });
    expect(codeOf(() => reach.tool(catalog, { kind: 'aggregate' }, 'late__danger'))).toBe('UNKNOWN_TOOL');
    expect(codeOf(() => reach.tool(catalog, { kind: 'server', server: 'late' }, 'danger'))).toBe('UNKNOWN_TOOL');
    expect(codeOf(() => reach.tool(catalog, { kind: 'aggregate' }, 'nobody__anything'))).toBe('UNKNOWN_TOOL');
  });

  it('checks prompts on a server endpoint against its view', () => {
    expect(reach.prompt(catalog, { kind: 'server', server: 'fs' }, 'greet')).toEqual({ server: 'fs', name: 'greet' });
    expect(codeOf(() => reach.prompt(catalog, { kind: 'server', server: 'fs' }, 'other'))).toBe('UNKNOWN_PROMPT');
  });
});

describe('ListingMemory', () => {
  it("keeps a disconnected server's last lists under its current filter, and forgets a server no longer configured", () => {
    const memory = new ListingMemory();
    const { server, prefix, toolFilter, ...live } = listing('fs', ['read_file', 'write_file']);
    expect(memory.listings([{ server, prefix, toolFilter, live }])).toHaveLength(1);
    const narrowed = memory.listings([{ server, prefix, toolFilter: { include: ['read_*'], exclude: [] } }]);
    expect(narrowed).toEqual([expect.objectContaining({ server: 'fs', toolFilter: { include: ['read_*'], exclude: [] }, tools: live.tools })]);
    expect(memory.listings([])).toEqual([]);
    expect(memory.listings([{ server, prefix, toolFilter }])).toEqual([]);
  });
});
