import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareSchemas } from '../../src/cli/schema-equivalence.js';

// The check behind `outlet tokens --check` must see a rewrite that changes what a schema accepts;
// these rewrites are wrong on purpose (a dropped bound, a dropped required key, a changed enum).

const OPTIONS = { runs: 200, seed: 7 };
const label = { tool: 't', schema: 'inputSchema' as const };

const ORIGINAL = {
  type: 'object',
  properties: {
    path: { type: 'string', minLength: 1 },
    depth: { type: 'integer', minimum: 1, maximum: 10 },
    mode: { enum: ['read', 'write'] },
    tags: { type: 'array', items: { $ref: '#/$defs/tag' } },
  },
  required: ['path', 'mode'],
  additionalProperties: false,
  $defs: { tag: { type: 'string', pattern: '^[a-z]+$' } },
};

function without(change: (copy: typeof ORIGINAL) => void): object {
  const copy = structuredClone(ORIGINAL);
  change(copy);
  return copy;
}

describe('compareSchemas', () => {
  it('finds equivalent a rewrite that only drops what cannot change acceptance, over inputs both accepted and rejected', () => {
    const check = compareSchemas(fc, label, ORIGINAL, without((s) => Object.assign(s.properties.path, { description: 'ignored', $comment: 'x' })), OPTIONS);
    expect(check).toMatchObject({ outcome: 'equivalent' });
    expect(check.accepted).toBeGreaterThan(10);
    expect(check.rejected).toBeGreaterThan(10);
  });

  it('says `same` for the very object, without running anything', () => {
    expect(compareSchemas(fc, label, ORIGINAL, ORIGINAL, OPTIONS)).toMatchObject({ outcome: 'same', accepted: 0, rejected: 0 });
  });

  it.each([
    ['a dropped maximum', (s: typeof ORIGINAL) => void delete (s.properties.depth as { maximum?: number }).maximum],
    ['a dropped required key', (s: typeof ORIGINAL) => void (s.required = ['path'])],
    ['a widened enum', (s: typeof ORIGINAL) => void (s.properties.mode.enum = ['read', 'write', 'append'])],
    ['additionalProperties let go', (s: typeof ORIGINAL) => void delete (s as { additionalProperties?: boolean }).additionalProperties],
    ['a pattern behind a $ref dropped', (s: typeof ORIGINAL) => void delete (s.$defs.tag as { pattern?: string }).pattern],
  ])('reports %s as a mismatch, naming an input the two disagree on', (_what, change) => {
    const check = compareSchemas(fc, label, ORIGINAL, without(change), OPTIONS);
    expect(check.outcome).toBe('mismatch');
    expect(check.detail).toMatch(/original (accepts|rejects), compacted (accepts|rejects)$/);
  });

  it('reports a rewrite that no longer compiles, and leaves alone a schema that never did', () => {
    expect(compareSchemas(fc, label, ORIGINAL, { type: 'object', properties: { a: { $ref: '#/$defs/missing' } } }, OPTIONS)).toMatchObject({ outcome: 'mismatch', detail: expect.stringMatching(/does not compile/) as unknown });
    const broken = { type: 'object', properties: { a: { $ref: '#/nowhere' } } };
    expect(compareSchemas(fc, label, broken, { ...broken }, OPTIONS)).toMatchObject({ outcome: 'uncompiled' });
  });
});
