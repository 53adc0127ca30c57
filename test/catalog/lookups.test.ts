import { describe, expect, it } from 'vitest';
import { Catalog } from '../../src/catalog/index.js';
import { listing, names, tools } from './listing.js';

// The lookups the router and the per-server endpoints make: one server's tool under its own
// name, whether a server has a listing at all, and a published tool's definition.
const catalog = Catalog.build(
  [
    listing('git', { tools: tools('log', 'push'), prompts: [{ name: 'review' }], toolFilter: { include: [], exclude: ['push'] } }),
    listing('empty'),
    listing('fs', { prefix: 'files', tools: tools('read') }),
  ],
  { separator: '__' },
);

describe('catalog lookups', () => {
  it('finds a server\'s tool by its own name, not by the published one, and never a filtered one', () => {
    expect(catalog.serverTool('git', 'log')?.name).toBe('log');
    expect(catalog.serverTool('git', 'git__log')).toBeUndefined();
    expect(catalog.serverTool('git', 'push')).toBeUndefined();
    expect(catalog.serverTool('fs', 'read')?.name).toBe('read');
    expect(catalog.serverTool('nobody', 'log')).toBeUndefined();
  });

  it('finds a published tool\'s definition by its published name only', () => {
    expect(catalog.tool('git__log')?.name).toBe('git__log');
    expect(catalog.tool('files__read')?.inputSchema).toEqual({ type: 'object' });
    expect(catalog.tool('fs__read')).toBeUndefined();
    expect(catalog.tool('log')).toBeUndefined();
  });

  it('says which servers it holds a listing of, an empty one included', () => {
    expect(catalog.hasServer('empty')).toBe(true);
    expect(catalog.hasServer('nobody')).toBe(false);
    expect(catalog.servers()).toEqual(['empty', 'fs', 'git']);
  });

  it('knows a server\'s prompts by their own names', () => {
    expect(catalog.hasServerPrompt('git', 'review')).toBe(true);
    expect(catalog.hasServerPrompt('git', 'git__review')).toBe(false);
    expect(catalog.hasServerPrompt('fs', 'review')).toBe(false);
    expect(names(catalog.prompts())).toEqual(['git__review']);
  });
});
