import { describe, expect, it } from 'vitest';
import { Catalog } from '../../src/catalog/index.js';
import { listing, names, tools } from './listing.js';

describe('per-server view', () => {
  const catalog = Catalog.build(
    [
      listing('fs', {
        tools: tools('read_file', 'write_file'),
        prompts: [{ name: 'explain', description: 'Explain a file' }],
        resources: [{ uri: 'file:///readme', name: 'readme' }],
        resourceTemplates: [{ uriTemplate: 'file:///{+path}', name: 'any file' }],
      }),
      listing('mem', { tools: tools('remember') }),
    ],
    { separator: '__' },
  );

  it('lists only that server, under the upstream names', () => {
    const view = catalog.forServer('fs');
    expect(names(view?.tools ?? [])).toEqual(['read_file', 'write_file']);
    expect(view?.prompts).toEqual([{ name: 'explain', description: 'Explain a file' }]);
    expect(view?.resources).toEqual([{ uri: 'file:///readme', name: 'readme' }]);
    expect(view?.resourceTemplates).toEqual([{ uriTemplate: 'file:///{+path}', name: 'any file' }]);
    expect(names(catalog.forServer('mem')?.tools ?? [])).toEqual(['remember']);
  });

  it('is undefined for a server not in the catalog', () => {
    expect(catalog.forServer('nope')).toBeUndefined();
  });

  it('is not changed by editing a returned view', () => {
    catalog.forServer('fs')?.tools.splice(0);
    expect(catalog.forServer('fs')?.tools).toHaveLength(2);
  });

  it('applies the length limit to the unprefixed names', () => {
    const small = Catalog.build([listing('s', { tools: tools('abcd', 'abcdef') })], { separator: '_', maxNameLength: 5 });
    expect(names(small.forServer('s')?.tools ?? [])).toEqual(['abcd']);
  });
});
