import { describe, expect, it } from 'vitest';
import { rebaseSchemaRefs } from '../../src/inbound/rest/openapi-schema-refs.js';

// Re-basing a tool schema's local references onto its place in the OpenAPI document, on the
// shapes real converters emit ($defs, draft-07 definitions, pointers into properties, `#`).
const BASE = '#/components/schemas/tool.x.input';

describe('rebaseSchemaRefs', () => {
  it('re-bases $defs, definitions, property pointers and the root', () => {
    const schema = {
      type: 'object',
      properties: {
        a: { $ref: '#/$defs/A' },
        b: { $ref: '#/definitions/B' },
        c: { $ref: '#/properties/a' },
        self: { $ref: '#' },
        list: { type: 'array', items: [{ $ref: '#/$defs/A' }], prefixItems: [{ anyOf: [{ $ref: '#/$defs/A' }, { type: 'null' }] }] },
      },
      $defs: { A: { type: 'object', properties: { next: { $ref: '#/$defs/A' } } } },
      definitions: { B: { type: 'string' } },
    };
    expect(rebaseSchemaRefs(schema, BASE)).toEqual({
      type: 'object',
      properties: {
        a: { $ref: `${BASE}/$defs/A` },
        b: { $ref: `${BASE}/definitions/B` },
        c: { $ref: `${BASE}/properties/a` },
        self: { $ref: BASE },
        list: { type: 'array', items: [{ $ref: `${BASE}/$defs/A` }], prefixItems: [{ anyOf: [{ $ref: `${BASE}/$defs/A` }, { type: 'null' }] }] },
      },
      $defs: { A: { type: 'object', properties: { next: { $ref: `${BASE}/$defs/A` } } } },
      definitions: { B: { type: 'string' } },
    });
  });

  it('leaves data alone: a "$ref" inside const, enum, default or examples is a value', () => {
    const schema = {
      type: 'object',
      default: { $ref: '#/x' },
      properties: { p: { const: { $ref: '#/y' }, enum: [{ $ref: '#/z' }], examples: [{ $ref: '#' }] } },
    };
    expect(rebaseSchemaRefs(schema, BASE)).toEqual(schema);
  });

  it('treats the names under properties as names: properties called $ref, const or default are schemas', () => {
    const schema = { properties: { $ref: { type: 'string' }, const: { $ref: '#/$defs/A' }, default: { items: { $ref: '#' } } } };
    expect(rebaseSchemaRefs(schema, BASE)).toEqual({
      properties: { $ref: { type: 'string' }, const: { $ref: `${BASE}/$defs/A` }, default: { items: { $ref: BASE } } },
    });
  });

  it('leaves what is not a local pointer: anchors, remote refs, and resources with their own $id', () => {
    const embedded = { $id: 'https://example.com/point', $defs: { n: { type: 'number' } }, properties: { x: { $ref: '#/$defs/n' } } };
    const schema = {
      properties: { a: { $ref: '#node' }, b: { $ref: 'https://example.com/schemas/b.json' }, c: { $dynamicRef: '#meta' }, point: embedded },
    };
    expect(rebaseSchemaRefs(schema, BASE)).toEqual(schema);
    const rooted = { $id: 'urn:tool:x', properties: { a: { $ref: '#/$defs/A' } }, $defs: { A: true } };
    expect(rebaseSchemaRefs(rooted, BASE)).toEqual(rooted);
  });

  it('does not modify its input (catalog entries are shared), and passes booleans and scalars through', () => {
    const schema = { properties: { a: { $ref: '#/$defs/A' } }, $defs: { A: true } };
    const before = structuredClone(schema);
    rebaseSchemaRefs(schema, BASE);
    expect(schema).toEqual(before);
    expect(rebaseSchemaRefs(true, BASE)).toBe(true);
    expect(rebaseSchemaRefs(null, BASE)).toBe(null);
  });
});
