import { describe, expect, it } from 'vitest';
import { Catalog } from '../../src/catalog/index.js';
import { listing, names, tools } from './listing.js';

const all = tools('read_file', 'read_dir', 'write_file', 'delete_file', '.hidden');

function published(include: string[], exclude: string[]): string[] {
  const catalog = Catalog.build([listing('fs', { tools: all, toolFilter: { include, exclude } })], { separator: '__' });
  return names(catalog.tools());
}

describe('tool filter', () => {
  it('publishes every tool when include is empty', () => {
    expect(published([], [])).toEqual(['fs__read_file', 'fs__read_dir', 'fs__write_file', 'fs__delete_file', 'fs__.hidden']);
  });

  it('keeps only tools matching an include glob, matched against the unprefixed name', () => {
    expect(published(['read_*'], [])).toEqual(['fs__read_file', 'fs__read_dir']);
    expect(published(['fs__read_*'], [])).toEqual([]);
  });

  it('drops tools matching an exclude glob', () => {
    expect(published([], ['*_file'])).toEqual(['fs__read_dir', 'fs__.hidden']);
  });

  it('lets exclude win over include', () => {
    expect(published(['read_*', 'write_file'], ['read_dir', 'write_*'])).toEqual(['fs__read_file']);
  });

  it('lets "*" match a name that starts with a dot', () => {
    expect(published(['*'], ['read_*', '*_file'])).toEqual(['fs__.hidden']);
  });

  it('makes a filtered-out tool unknown to resolveTool', () => {
    const catalog = Catalog.build(
      [listing('fs', { tools: all, toolFilter: { include: [], exclude: ['delete_*'] } })],
      { separator: '__' },
    );
    expect(() => catalog.resolveTool('fs__delete_file')).toThrow('Unknown tool "fs__delete_file"');
  });

  it('applies the same filter to the per-server view', () => {
    const catalog = Catalog.build(
      [listing('fs', { tools: all, toolFilter: { include: ['read_*'], exclude: ['read_dir'] } })],
      { separator: '__' },
    );
    expect(names(catalog.forServer('fs')?.tools ?? [])).toEqual(['read_file']);
  });
});
