import { describe, expect, it } from 'vitest';
import { Catalog } from '../../src/catalog/index.js';
import { listing, names, tools } from './listing.js';

describe('collisions', () => {
  it('keeps the first of two servers publishing the same name, withholds the other, names both', () => {
    const catalog = Catalog.build(
      [
        listing('beta', { prefix: 'x', tools: [{ name: 'search', description: 'beta', inputSchema: { type: 'object' } }] }),
        listing('alpha', { prefix: 'x', tools: [{ name: 'search', description: 'alpha', inputSchema: { type: 'object' } }] }),
      ],
      { separator: '__' },
    );
    expect(catalog.tools().map((t) => [t.name, t.description])).toEqual([['x__search', 'alpha']]);
    expect(catalog.resolveTool('x__search')).toEqual({ server: 'alpha', name: 'search' });
    expect(catalog.problems).toHaveLength(1);
    expect(catalog.problems[0]).toMatchObject({ server: 'beta', kind: 'tool', name: 'search', code: 'collision' });
    expect(catalog.problems[0]?.message).toContain('server "beta"');
    expect(catalog.problems[0]?.message).toContain('server "alpha"');
    expect(catalog.problems[0]?.message).toContain('"x__search"');
  });

  it('never renames: no suffixed or altered name appears', () => {
    const catalog = Catalog.build([listing('a', { prefix: 'p', tools: tools('t') }), listing('b', { prefix: 'p', tools: tools('t') })], {
      separator: '__',
    });
    expect(names(catalog.tools())).toEqual(['p__t']);
  });

  it('catches a clash that only appears after joining prefix, separator and name', () => {
    const catalog = Catalog.build(
      [listing('a', { tools: tools('b__c') }), listing('a__b', { tools: tools('c') })],
      { separator: '__' },
    );
    expect(names(catalog.tools())).toEqual(['a__b__c']);
    expect(catalog.resolveTool('a__b__c')).toEqual({ server: 'a', name: 'b__c' });
    expect(catalog.problems.map((p) => [p.server, p.code])).toEqual([['a__b', 'collision']]);
  });

  it('reports an upstream listing the same tool or prompt twice, keeping its first', () => {
    const catalog = Catalog.build(
      [
        listing('fs', {
          tools: [
            { name: 'dup', description: 'first', inputSchema: { type: 'object' } },
            { name: 'dup', description: 'second', inputSchema: { type: 'object' } },
          ],
          prompts: [{ name: 'p' }, { name: 'p' }],
        }),
      ],
      { separator: '__' },
    );
    expect(catalog.tools().map((t) => t.description)).toEqual(['first']);
    expect(names(catalog.prompts())).toEqual(['fs__p']);
    expect(catalog.problems.map((p) => [p.kind, p.name, p.code])).toEqual([
      ['tool', 'dup', 'collision'],
      ['prompt', 'p', 'collision'],
    ]);
    expect(catalog.problems[0]?.message).toContain('listed more than once');
    expect(catalog.forServer('fs')?.tools.map((t) => t.description)).toEqual(['first']);
  });

  it('gives a resource URI listed by two servers to the first and reports the second', () => {
    const catalog = Catalog.build(
      [
        listing('zeta', { resources: [{ uri: 'shared://doc', name: 'from zeta' }] }),
        listing('eta', { resources: [{ uri: 'shared://doc', name: 'from eta' }] }),
      ],
      { separator: '__' },
    );
    expect(catalog.resources()).toEqual([{ uri: 'shared://doc', name: 'from eta' }]);
    expect(catalog.resolveResource('shared://doc')).toEqual({ server: 'eta' });
    expect(catalog.problems).toHaveLength(1);
    expect(catalog.problems[0]).toMatchObject({ server: 'zeta', kind: 'resource', name: 'shared://doc', code: 'collision' });
    expect(catalog.problems[0]?.message).toContain('server "zeta"');
    expect(catalog.problems[0]?.message).toContain('server "eta"');
    // The per-server view is about one server only, so zeta still shows its own resource there.
    expect(catalog.forServer('zeta')?.resources).toEqual([{ uri: 'shared://doc', name: 'from zeta' }]);
  });

  it('treats an identical resource template from two servers the same way', () => {
    const catalog = Catalog.build(
      [
        listing('b', { resourceTemplates: [{ uriTemplate: 'db://{table}', name: 'b' }] }),
        listing('a', { resourceTemplates: [{ uriTemplate: 'db://{table}', name: 'a' }] }),
      ],
      { separator: '__' },
    );
    expect(catalog.resourceTemplates()).toEqual([{ uriTemplate: 'db://{table}', name: 'a' }]);
    expect(catalog.problems.map((p) => [p.server, p.kind, p.code])).toEqual([['b', 'resourceTemplate', 'collision']]);
  });

  it('rejects two listings for the same server with CATALOG_CONFLICT', () => {
    expect(() => Catalog.build([listing('fs'), listing('fs')], { separator: '__' })).toThrow(
      expect.objectContaining({ code: 'CATALOG_CONFLICT' }),
    );
  });
});
