import { describe, expect, it } from 'vitest';
import { Catalog, type UpstreamListing } from '../../src/catalog/index.js';
import { compareCodePoints } from '../../src/catalog/order.js';
import { listing, names, tools } from './listing.js';

/** Every ordering of the input, so "independent of order" is checked exhaustively, not by luck. */
function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}

const listings: UpstreamListing[] = [
  listing('mem', { tools: tools('z_last', 'a_first'), prompts: [{ name: 'p' }], advertisesResources: true }),
  listing('fs', { prefix: 'shared', tools: tools('dup', 'read'), resources: [{ uri: 'x://1', name: '1' }] }),
  listing('Zed', { prefix: 'shared', tools: tools('dup'), resources: [{ uri: 'x://1', name: 'Zed' }] }),
  listing('git', { tools: tools('log'), resourceTemplates: [{ uriTemplate: 'x://{n}', name: 'n' }] }),
];

describe('deterministic order', () => {
  it('sorts servers by name and keeps each upstream own order, whatever order listings arrive in', () => {
    const expected = Catalog.build(listings, { separator: '__' });
    // "Zed" sorts before lower case: code point order, not locale order.
    expect(expected.servers()).toEqual(['Zed', 'fs', 'git', 'mem']);
    expect(names(expected.tools())).toEqual(['shared__dup', 'shared__read', 'git__log', 'mem__z_last', 'mem__a_first']);
    for (const order of permutations(listings)) {
      const catalog = Catalog.build(order, { separator: '__' });
      expect(names(catalog.tools())).toEqual(names(expected.tools()));
      expect(catalog.resources()).toEqual(expected.resources());
      expect(catalog.problems).toEqual(expected.problems);
      expect(catalog.servers()).toEqual(expected.servers());
      expect(catalog.resolveTool('shared__dup')).toEqual({ server: 'Zed', name: 'dup' });
    }
  });

  it('does not reorder the array the caller passed', () => {
    const input = [listing('b'), listing('a')];
    Catalog.build(input, { separator: '__' });
    expect(input.map((l) => l.server)).toEqual(['b', 'a']);
  });

  it('compares by code point, unlike the default UTF-16 sort', () => {
    const astral = '\u{1F600}'; // U+1F600, stored as surrogates D83D DE00
    const highBmp = '\uFFFD'; // U+FFFD, a larger code unit than D83D
    expect([astral, highBmp].sort()).toEqual([astral, highBmp]);
    expect([astral, highBmp].sort(compareCodePoints)).toEqual([highBmp, astral]);
    expect(['ab', 'a', 'b', ''].sort(compareCodePoints)).toEqual(['', 'a', 'ab', 'b']);
  });

  it('orders servers with astral names by code point in the catalog', () => {
    const catalog = Catalog.build([listing('\u{1F600}'), listing('\uFFFD')], { separator: '__' });
    expect(catalog.servers()).toEqual(['\uFFFD', '\u{1F600}']);
  });
});
