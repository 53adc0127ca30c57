import type { Tool } from '@modelcontextprotocol/server';
import { describe, expect, it } from 'vitest';
import { compactSchema, compactToolSchemas } from './schema-compaction.js';

const DRAFT7 = 'http://json-schema.org/draft-07/schema#';
const D2020 = 'https://json-schema.org/draft/2020-12/schema';

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}

describe('compactSchema', () => {
  it('drops comments, trivially true keywords and empty containers, and keeps every constraint', () => {
    const schema = deepFreeze({
      $comment: 'generated',
      type: 'object',
      properties: {
        name: { type: 'string', minLength: 0, $comment: 'x' },
        tags: { type: 'array', items: {}, minItems: 0, uniqueItems: false },
        meta: { type: 'object', properties: {}, additionalProperties: true, required: [], minProperties: 0, patternProperties: {} },
        count: { type: 'integer', minimum: 1, uniqueItems: true, minLength: 1 },
      },
      required: ['name'],
      additionalProperties: false,
    });
    expect(compactSchema(schema)).toEqual({
      type: 'object',
      properties: {
        name: { type: 'string' },
        tags: { type: 'array' },
        meta: { type: 'object' },
        count: { type: 'integer', minimum: 1, uniqueItems: true, minLength: 1 },
      },
      required: ['name'],
      additionalProperties: false,
    });
  });

  it('returns the very same object when there is nothing to drop, and never mutates its input', () => {
    const schema = { type: 'object', properties: { a: { type: 'string', description: 'A value' } }, required: ['a'] };
    expect(compactSchema(schema)).toBe(schema);
    const frozen = deepFreeze({ type: 'object', properties: { a: { type: 'string', title: 'A' } }, b: { minLength: 0 } });
    const out = compactSchema(frozen);
    expect(out).toEqual({ type: 'object', properties: { a: { type: 'string' } }, b: { minLength: 0 } });
    expect(out.b).toBe(frozen.b); // an unknown keyword is not a schema: left as it is
  });

  it('keeps `properties: {}` at the root, where clients look for it, and drops it below', () => {
    expect(compactSchema({ type: 'object', properties: {} })).toEqual({ type: 'object', properties: {} });
    expect(compactSchema({ type: 'object', properties: { a: { type: 'object', properties: {} } } })).toEqual({ type: 'object', properties: { a: { type: 'object' } } });
  });

  describe('$schema', () => {
    it('drops 2020-12 (the dialect MCP assumes) and a draft-07 that reads the same in 2020-12', () => {
      expect(compactSchema({ $schema: D2020, type: 'object', prefixItems: [] })).toEqual({ type: 'object', prefixItems: [] });
      expect(compactSchema({ $schema: DRAFT7, type: 'object', properties: { a: { $ref: '#/definitions/A', description: 'd' } }, definitions: { A: { type: 'string' } } }))
        .toEqual({ type: 'object', properties: { a: { $ref: '#/definitions/A', description: 'd' } }, definitions: { A: { type: 'string' } } });
    });

    it('keeps draft-07 where the dialect decides: tuple items, dependencies, $ref with assertion siblings', () => {
      for (const body of [
        { type: 'array', items: [{ type: 'string' }], additionalItems: false },
        { type: 'object', dependencies: { a: ['b'] } },
        { properties: { a: { $ref: '#/definitions/A', maxLength: 3 } }, definitions: { A: { type: 'string' } } },
      ]) {
        expect(compactSchema({ $schema: DRAFT7, ...body })).toHaveProperty('$schema', DRAFT7);
      }
    });

    it('keeps a dialect it does not know, which validators refuse or read apart', () => {
      const schema = { $schema: 'http://json-schema.org/draft-04/schema#', type: 'object' };
      expect(compactSchema(schema)).toBe(schema);
    });
  });

  describe('$id and definitions', () => {
    it('drops a root $id when every reference is a local pointer, and keeps it when one is not', () => {
      expect(compactSchema({ $id: 'https://x.test/s', $ref: '#/$defs/A', $defs: { A: { type: 'string' } } })).toEqual({ $ref: '#/$defs/A', $defs: { A: { type: 'string' } } });
      const absolute = { $id: 'https://x.test/s', $ref: 'https://x.test/s#/$defs/A', $defs: { A: { type: 'string' } } };
      expect(compactSchema(absolute)).toBe(absolute);
    });

    it('drops definitions no reference reaches, transitively, and keeps the chain that is reached', () => {
      const schema = {
        type: 'object',
        properties: { a: { $ref: '#/$defs/A' } },
        $defs: { A: { items: { $ref: '#/$defs/B' } }, B: { type: 'string' }, Orphan: { $ref: '#/$defs/OrphanChild' }, OrphanChild: { type: 'number' } },
        definitions: { Old: { type: 'null' } },
      };
      expect(compactSchema(schema)).toEqual({ type: 'object', properties: { a: { $ref: '#/$defs/A' } }, $defs: { A: { items: { $ref: '#/$defs/B' } }, B: { type: 'string' } } });
    });

    it('follows percent-encoded and ~-escaped pointers', () => {
      const schema = { $ref: '#/$defs/a~1b%20c', $defs: { 'a/b c': { type: 'string' }, unused: {} } };
      expect(compactSchema(schema)).toEqual({ $ref: '#/$defs/a~1b%20c', $defs: { 'a/b c': { type: 'string' } } });
    });

    it('keeps every definition when a reference is an anchor, a URI or the container itself', () => {
      for (const ref of ['#node', 'other.json#/$defs/A', '#/$defs']) {
        const schema = { $ref: ref, $defs: { A: { $anchor: 'node', type: 'string' }, B: { type: 'number' } } };
        expect(compactSchema(schema).$defs).toEqual(schema.$defs);
      }
    });

    it('drops nothing structural under a nested $id, where pointers resolve against another base', () => {
      const schema = { $defs: { A: { $id: 'https://x.test/a', items: {}, $ref: '#/$defs/B', $defs: { B: {} } } }, $ref: 'https://x.test/a' };
      expect(compactSchema(schema)).toBe(schema);
    });

    it('keeps a trivially true keyword that a reference points into', () => {
      const schema = { type: 'object', properties: { a: { type: 'array', items: {} }, b: { $ref: '#/properties/a/items' } } };
      expect(compactSchema(schema)).toBe(schema);
    });
  });

  it('keeps the annotation-producing trivial keywords when unevaluated* reads them', () => {
    const schema = { allOf: [{ additionalProperties: true }], unevaluatedProperties: false };
    expect(compactSchema(schema)).toBe(schema);
  });

  it('drops a title that repeats its property or definition name, and keeps one that says more', () => {
    const schema = {
      type: 'object',
      properties: { file_path: { type: 'string', title: 'File Path' }, entityType: { title: 'Entity type' }, mode: { title: 'Open mode' } },
      $defs: { Item: { title: 'item', type: 'object' } },
      $ref: '#/$defs/Item',
    };
    expect(compactSchema(schema)).toEqual({
      type: 'object',
      properties: { file_path: { type: 'string' }, entityType: {}, mode: { title: 'Open mode' } },
      $defs: { Item: { type: 'object' } },
      $ref: '#/$defs/Item',
    });
  });

  it('drops an allOf branch default that repeats the parent default, and keeps every other default', () => {
    const schema = { default: { n: 1 }, allOf: [{ type: 'object', default: { n: 1 } }, { default: { n: 2 } }], properties: { n: { default: 1 } } };
    expect(compactSchema(schema)).toEqual({ default: { n: 1 }, allOf: [{ type: 'object' }, { default: { n: 2 } }], properties: { n: { default: 1 } } });
  });

  it('compacts description and title whitespace, keeping line and paragraph breaks', () => {
    const schema = { description: '  Reads a file.\r\n\r\n\r\n    Paths are\t\trelative.\n  - one\n  - two  ', properties: { a: { title: ' The   A value ' } } };
    expect(compactSchema(schema)).toEqual({ description: 'Reads a file.\n\nPaths are relative.\n- one\n- two', properties: { a: { title: 'The A value' } } });
  });

  it('leaves data alone: enum, const, default and examples values are not schemas', () => {
    const schema = { enum: [{ $comment: 'data', minLength: 0 }], const: { description: '  x  ' }, examples: [{ title: ' t ' }] };
    expect(compactSchema(schema)).toBe(schema);
  });

  it('keeps a "__proto__" property a property', () => {
    const schema = JSON.parse('{"type":"object","properties":{"__proto__":{"type":"string","minLength":0}}}') as Record<string, unknown>;
    const out = compactSchema(schema) as { properties: object };
    expect(Object.getPrototypeOf(out.properties)).toBe(Object.prototype);
    expect(Object.hasOwn(out.properties, '__proto__')).toBe(true);
  });

  it('gives back a hostile document untouched: nested past the walk bound, or cyclic', () => {
    let deep: Record<string, unknown> = { type: 'string', minLength: 0 };
    for (let i = 0; i < 5000; i++) deep = { items: deep, minItems: 0 };
    expect(compactSchema(deep)).toBe(deep);
    const cyclic: Record<string, unknown> = { type: 'object', minLength: 0 };
    cyclic.properties = { self: cyclic };
    expect(compactSchema(cyclic)).toBe(cyclic);
  });
});

describe('compactToolSchemas', () => {
  const tool: Tool = {
    name: 'read',
    description: 'Reads.',
    inputSchema: { type: 'object', properties: { path: { type: 'string' } }, $schema: DRAFT7 },
    outputSchema: { type: 'object', properties: { content: { type: 'string' } }, additionalProperties: true },
  };

  it('compacts both schemas and keeps everything else', () => {
    expect(compactToolSchemas(tool)).toEqual({ ...tool, inputSchema: { type: 'object', properties: { path: { type: 'string' } } }, outputSchema: { type: 'object', properties: { content: { type: 'string' } } } });
  });

  it('returns the same tool when nothing changes', () => {
    const lean: Tool = { name: 'x', inputSchema: { type: 'object' } };
    expect(compactToolSchemas(lean)).toBe(lean);
  });
});
