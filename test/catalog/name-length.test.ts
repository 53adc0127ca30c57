import { describe, expect, it } from 'vitest';
import { Catalog } from '../../src/catalog/index.js';
import { listing, names, tools } from './listing.js';

// 58 characters: with "filesystem__" in front it is 70, six over the default limit of 64.
const LONG = 'read_multiple_files_with_metadata_and_more_than_you_needed';

describe('name length limit', () => {
  it('withholds a tool whose published name is over 64 and suggests the longest prefix that fits', () => {
    expect(LONG).toHaveLength(58);
    const catalog = Catalog.build([listing('filesystem', { tools: tools('read_file', LONG) })], { separator: '__' });
    expect(names(catalog.tools())).toEqual(['filesystem__read_file']);
    expect(catalog.problems).toEqual([
      {
        server: 'filesystem',
        kind: 'tool',
        name: LONG,
        code: 'name-too-long',
        message:
          `server "filesystem": tool "${LONG}" would be published as "filesystem__${LONG}" ` +
          `(70 characters, over the limit of 64); set a shorter "prefix" for this server (at most 4 characters)`,
      },
    ]);
    expect(() => catalog.resolveTool(`filesystem__${LONG}`)).toThrow(`Unknown tool "filesystem__${LONG}"`);
  });

  it('suggests a prefix that really fits: at the suggested length the name is published', () => {
    const suggested = Catalog.build([listing('filesystem', { prefix: 'fsys', tools: tools(LONG) })], {
      separator: '__',
    });
    expect(names(suggested.tools())).toEqual([`fsys__${LONG}`]);
    expect(suggested.problems).toEqual([]);
    const oneMore = Catalog.build([listing('filesystem', { prefix: 'fsyst', tools: tools(LONG) })], {
      separator: '__',
    });
    expect(oneMore.tools()).toEqual([]);
    expect(oneMore.problems[0]?.message).toContain('(65 characters, over the limit of 64)');
  });

  it('accepts a name of exactly the limit', () => {
    const exact = 'x'.repeat(60);
    const catalog = Catalog.build([listing('ab', { tools: tools(exact) })], { separator: '__' });
    expect(names(catalog.tools())).toEqual([`ab__${exact}`]);
  });

  it('counts the separator and honours a custom maxNameLength', () => {
    const catalog = Catalog.build([listing('srv', { prompts: [{ name: 'abcdefghij' }] })], {
      separator: '::::',
      maxNameLength: 16,
    });
    expect(catalog.prompts()).toEqual([]);
    expect(catalog.problems[0]).toMatchObject({ kind: 'prompt', code: 'name-too-long', name: 'abcdefghij' });
    expect(catalog.problems[0]?.message).toContain('(17 characters, over the limit of 16)');
    expect(catalog.problems[0]?.message).toContain('(at most 2 characters)');
  });

  it('says no prefix can help when the name and separator alone leave no room', () => {
    const name = 'y'.repeat(62);
    const catalog = Catalog.build([listing('fs', { tools: tools(name) })], { separator: '__' });
    expect(catalog.problems[0]?.message).toContain('no prefix is short enough');
    expect(catalog.problems[0]?.message).toContain('take 64 characters');
    expect(catalog.problems[0]?.message).not.toContain('at most');
  });

  it('keeps a withheld name in the per-server view when its unprefixed form fits', () => {
    const tooLongEvenAlone = 'z'.repeat(65);
    const catalog = Catalog.build([listing('filesystem', { tools: tools(LONG, tooLongEvenAlone) })], {
      separator: '__',
    });
    expect(catalog.tools()).toEqual([]);
    expect(names(catalog.forServer('filesystem')?.tools ?? [])).toEqual([LONG]);
  });
});
