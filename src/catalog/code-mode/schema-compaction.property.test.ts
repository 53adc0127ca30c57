import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import type { JsonSchemaType, Tool } from '@modelcontextprotocol/server';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/server/validators/ajv';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { compactSchema } from './schema-compaction.js';
import { isObject, type JsonObject } from './schema-keywords.js';
import { pointerOf, resolvePointer } from './schema-refs.js';

// Compaction must never change what a schema accepts. Each schema below is compiled twice with
// the SDK's Ajv provider (the gateway's own argument validator) and both are run on generated
// instances: arbitrary JSON, and instances built from the schema's own shape so that both the
// accepting and the rejecting side are reached.

const DRAFT7 = 'http://json-schema.org/draft-07/schema#';
const RUNS = 300;

type Validate = (input: unknown) => boolean;

/** Separate providers: the SDK caches compiled schemas by `$id` per engine. */
const originals = new AjvJsonSchemaValidator();
const compacted = new AjvJsonSchemaValidator();

function compile(provider: AjvJsonSchemaValidator, schema: JsonObject): Validate | string {
  try {
    const validate = provider.getValidator<unknown>(schema as JsonSchemaType);
    return (input) => validate(input).valid;
  } catch (err) {
    return `does not compile: ${(err as Error).message}`;
  }
}

const noise = fc.jsonValue({ maxDepth: 2 });
const strings = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom('', 'a', 'hello world', 'x'.repeat(40), '2024-01-02', '2024-01-02T03:04:05Z', 'a@b.co', 'https://x.test/p', '550e8400-e29b-41d4-a716-446655440000'),
);

function numbers(schema: JsonObject): fc.Arbitrary<unknown> {
  const edges = ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum'].map((k) => schema[k]).filter((v): v is number => typeof v === 'number');
  return fc.oneof(
    fc.integer({ min: -3, max: 120 }),
    fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }),
    fc.constantFrom(0, 1, 1.5, -1, ...edges.flatMap((e) => [e - 1, e, e + 1])),
  );
}

/** Instances shaped like `schema` (its property names, enum values, item shapes), mixed with noise. */
function near(schema: unknown, root: JsonObject, depth: number): fc.Arbitrary<unknown> {
  if (depth > 4 || !isObject(schema)) return noise;
  const options: fc.Arbitrary<unknown>[] = [];
  if (typeof schema.$ref === 'string' && schema.$ref.startsWith('#')) {
    const target = resolvePointer(root, pointerOf(schema.$ref) ?? ['\0']);
    if (target !== undefined) options.push(near(target, root, depth + 1));
  }
  if (Array.isArray(schema.enum) && schema.enum.length > 0) options.push(fc.constantFrom(...(schema.enum as unknown[])));
  if ('const' in schema) options.push(fc.constant(schema.const));
  for (const key of ['anyOf', 'oneOf', 'allOf']) {
    const branches = schema[key];
    if (Array.isArray(branches)) options.push(...branches.map((b) => near(b, root, depth + 1)));
  }
  for (const key of ['if', 'then', 'else', 'not']) if (isObject(schema[key])) options.push(near(schema[key], root, depth + 1));
  const types = Array.isArray(schema.type) ? (schema.type as string[]) : typeof schema.type === 'string' ? [schema.type] : [];
  if (types.length === 0 && (schema.properties || schema.required || schema.patternProperties)) types.push('object');
  if (types.length === 0 && (schema.items || schema.prefixItems || schema.contains)) types.push('array');
  for (const type of types) options.push(ofType(type, schema, root, depth));
  // Mostly shaped instances, some noise: deep enough to get past the outer levels of a schema.
  return fc.oneof({ arbitrary: noise, weight: 1 }, ...options.map((arbitrary) => ({ arbitrary, weight: 4 })));
}

function ofType(type: string, schema: JsonObject, root: JsonObject, depth: number): fc.Arbitrary<unknown> {
  switch (type) {
    case 'string':
      return strings;
    case 'number':
    case 'integer':
      return numbers(schema);
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      const tuple = Array.isArray(schema.prefixItems) ? schema.prefixItems : Array.isArray(schema.items) ? schema.items : [];
      const rest = near(isObject(schema.items) ? schema.items : schema.contains, root, depth + 1);
      return fc.tuple(fc.tuple(...tuple.map((s) => near(s, root, depth + 1))), fc.array(rest, { maxLength: 4 })).map(([head, tail]) => [...head, ...tail]);
    }
    case 'object':
      return objects(schema, root, depth);
    default:
      return noise;
  }
}

function objects(schema: JsonObject, root: JsonObject, depth: number): fc.Arbitrary<unknown> {
  const properties = isObject(schema.properties) ? schema.properties : {};
  const names = new Set([...Object.keys(properties), ...(Array.isArray(schema.required) ? (schema.required as string[]) : [])]);
  for (const key of ['dependentRequired', 'dependentSchemas', 'dependencies']) if (isObject(schema[key])) Object.keys(schema[key]).forEach((n) => names.add(n));
  const model = Object.fromEntries([...names].map((name) => [name, near(properties[name], root, depth + 1)]));
  const patterned = isObject(schema.patternProperties)
    ? Object.keys(schema.patternProperties).map((pattern) => fc.dictionary(fc.stringMatching(new RegExp(pattern)), noise, { maxKeys: 2 }))
    : [];
  const extra = fc.oneof(fc.constant({}), fc.dictionary(fc.string({ maxLength: 4 }), noise, { maxKeys: 2 }), ...patterned);
  const required = Array.isArray(schema.required) ? (schema.required as string[]) : [];
  const known = fc.oneof({ arbitrary: fc.record(model, { requiredKeys: required }), weight: 3 }, { arbitrary: fc.record(model, { requiredKeys: [] }), weight: 1 });
  return fc.tuple(known, extra).map(([props, more]) => ({ ...more, ...props }));
}

interface Outcome {
  /** Why the two disagree (a counterexample), or undefined when they agree on every run. */
  disagreement?: string;
  accepted: number;
  rejected: number;
}

/** Runs both schemas over the same generated instances; the first instance they differ on fails the run. */
function compare(original: JsonObject, changed: JsonObject, seed = 42): Outcome {
  const a = compile(originals, original);
  const b = compile(compacted, changed);
  if (typeof a === 'string' || typeof b === 'string') {
    return typeof a === typeof b ? { accepted: 0, rejected: 0 } : { disagreement: `original ${typeof a === 'string' ? a : 'compiles'}, compacted ${typeof b === 'string' ? b : 'compiles'}`, accepted: 0, rejected: 0 };
  }
  let accepted = 0;
  let rejected = 0;
  const inputs = fc.oneof(noise, near(original, original, 0), near(original, original, 0));
  const result = fc.check(
    fc.property(inputs, (input) => {
      const verdict = a(input);
      if (verdict) accepted++;
      else rejected++;
      return verdict === b(input);
    }),
    { numRuns: RUNS, seed },
  );
  const disagreement = result.failed ? `they differ on ${JSON.stringify(result.counterexample?.[0])}` : undefined;
  return { disagreement, accepted, rejected };
}

/** Hand-written schemas that use what compaction must be careful with. */
const TRICKY: Record<string, JsonObject> = {
  'refs, transitive and unused definitions, recursion': {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://example.test/tree',
    type: 'object',
    properties: { root: { $ref: '#/$defs/Node' } },
    required: ['root'],
    $defs: {
      Node: { title: 'Node', type: 'object', properties: { value: { type: 'integer', minimum: 0 }, children: { type: 'array', items: { $ref: '#/$defs/Node' }, minItems: 0 } }, required: ['value'] },
      Unused: { $ref: '#/$defs/AlsoUnused' },
      AlsoUnused: { type: 'string' },
    },
  },
  'draft-07 definitions with escaped names': {
    $schema: DRAFT7,
    type: 'object',
    properties: { a: { $ref: '#/definitions/a~1b%20c' }, b: { $ref: '#/definitions/Plain' } },
    definitions: { 'a/b c': { type: 'string', minLength: 2 }, Plain: { enum: ['x', 'y', null] }, Dead: { type: 'number' } },
    required: ['a'],
  },
  'allOf with repeated defaults and mixed constraints': {
    type: 'object',
    default: { mode: 'fast' },
    allOf: [{ default: { mode: 'fast' }, properties: { mode: { enum: ['fast', 'slow'] } } }, { required: ['mode'], additionalProperties: true }],
  },
  'anyOf and oneOf with required variants': {
    type: 'object',
    properties: { id: { type: 'string' }, name: { type: 'string', minLength: 0 }, kind: { const: 'user' } },
    oneOf: [{ required: ['id'] }, { required: ['name'] }],
    anyOf: [{ properties: { kind: { const: 'user' } } }, { required: [] }],
  },
  'if / then / else': {
    type: 'object',
    properties: { country: { type: 'string' }, postcode: { type: 'string' } },
    if: { properties: { country: { const: 'NL' } }, required: ['country'] },
    then: { properties: { postcode: { pattern: '^[0-9]{4}[A-Z]{2}$' } }, required: ['postcode'] },
    else: { properties: { postcode: { maxLength: 10, minLength: 0 } } },
  },
  'patternProperties with additionalProperties false': {
    type: 'object',
    properties: {},
    patternProperties: { '^x-[a-z]+$': { type: 'string', minLength: 0 }, '^n[0-9]$': { type: 'number' } },
    additionalProperties: false,
    minProperties: 0,
  },
  'dependentSchemas and dependentRequired (2020-12)': {
    type: 'object',
    properties: { card: { type: 'string', title: 'Card' }, billing: { type: 'string' }, cvv: { type: 'string' } },
    dependentRequired: { card: ['cvv'] },
    dependentSchemas: { billing: { required: ['card'] }, unusedKey: {} },
  },
  'draft-07 tuple items and additionalItems': {
    $schema: DRAFT7,
    type: 'array',
    items: [{ type: 'string' }, { type: 'number' }],
    additionalItems: false,
    minItems: 0,
  },
  'draft-07 dependencies': { $schema: DRAFT7, $comment: 'x', type: 'object', dependencies: { a: ['b'], c: { required: ['d'], minProperties: 0 } } },
  'draft-07 $ref with an assertion sibling': {
    $schema: DRAFT7,
    type: 'object',
    properties: { a: { $ref: '#/definitions/S', maxLength: 3 } },
    definitions: { S: { type: 'string' }, Unused: { type: 'number' } },
  },
  'unevaluatedProperties reading a trivial additionalProperties': {
    type: 'object',
    properties: { a: { type: 'string', title: 'A' } },
    allOf: [{ additionalProperties: true }],
    unevaluatedProperties: false,
  },
  'unevaluatedItems with contains and minContains': {
    type: 'array',
    prefixItems: [{ type: 'string' }],
    contains: { type: 'number' },
    minContains: 0,
    unevaluatedItems: false,
    $comment: 'contains with minContains 0 accepts an array without a number',
  },
  'a reference into a trivial keyword': {
    type: 'object',
    properties: { list: { type: 'array', items: {} }, alias: { $ref: '#/properties/list/items' }, tags: { type: 'array', items: true, uniqueItems: false } },
  },
  'boolean schemas, propertyNames and not': {
    type: 'object',
    properties: { never: false, always: true, n: { not: { type: 'string' } } },
    propertyNames: { maxLength: 5, minLength: 0 },
  },
  'nullable union with default null and formats': {
    type: 'object',
    properties: {
      when: { anyOf: [{ type: 'string', format: 'date-time' }, { type: 'null' }], default: null, title: 'When' },
      mail: { type: 'string', format: 'email', title: 'Mail', description: '  The   address.\n\n\n\nOne per call. ' },
    },
    required: ['when'],
  },
  'nested $id keeps pointers relative to it': {
    description: '  Text   still compacts. ',
    $defs: { A: { $id: 'https://example.test/a', type: 'object', properties: { b: { $ref: '#/$defs/B' } }, $defs: { B: { type: 'integer' } } } },
    $ref: 'https://example.test/a',
  },
  'an unsupported dialect': { $schema: 'http://json-schema.org/draft-04/schema#', type: 'string' },
  'comments and empty containers everywhere': {
    $comment: 'generated',
    type: 'object',
    properties: { a: { type: 'object', properties: {}, required: [], minProperties: 0, $comment: 'inner', additionalProperties: {} } },
    required: ['a'],
    $defs: {},
  },
};

/** The tools/list of one of the npm servers installed as dependencies. */
async function listTools(pkg: string, args: string[]): Promise<Tool[]> {
  const entry = join(dirname(createRequire(import.meta.url).resolve(`${pkg}/package.json`)), 'dist/index.js');
  const scratch = mkdtempSync(join(tmpdir(), 'compaction-'));
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [entry, ...args.map((a) => a.replace('{scratch}', scratch))],
    env: { PATH: process.env.PATH ?? '', MEMORY_FILE_PATH: join(scratch, 'memory.jsonl') },
    stderr: 'pipe',
  });
  const client = new Client({ name: 'compaction-test', version: '1.0.0' }, { versionNegotiation: { mode: 'legacy' } });
  await client.connect(transport);
  try {
    return (await client.listTools()).tools;
  } finally {
    await client.close();
  }
}

const SERVERS: Array<[pkg: string, args: string[]]> = [
  ['@modelcontextprotocol/server-filesystem', ['{scratch}']],
  ['@modelcontextprotocol/server-memory', []],
  ['@modelcontextprotocol/server-everything', ['stdio']],
];

describe('compaction keeps validation as it was', () => {
  it.each(Object.entries(TRICKY))('%s', (_name, schema) => {
    const outcome = compare(schema, compactSchema(schema));
    expect(outcome.disagreement).toBeUndefined();
  });

  it('changes most of the hand-written schemas (or the comparison above proves little)', () => {
    const untouched = Object.entries(TRICKY).filter(([, s]) => compactSchema(s) === s).map(([name]) => name);
    expect(untouched).toEqual(['an unsupported dialect']);
  });

  it('reaches both verdicts on every hand-written schema that can reject', () => {
    for (const [name, schema] of Object.entries(TRICKY)) {
      const { accepted, rejected } = compare(schema, schema);
      if (name === 'an unsupported dialect') continue; // does not compile either way
      expect({ name, accepted: accepted > 0, rejected: rejected > 0 }).toEqual({ name, accepted: true, rejected: true });
    }
  });

  describe('on the real servers', () => {
    const schemas: Array<[string, JsonObject]> = [];
    beforeAll(async () => {
      const lists = await Promise.all(SERVERS.map(([pkg, args]) => listTools(pkg, args)));
      lists.forEach((tools, i) => {
        for (const tool of tools) {
          schemas.push([`${SERVERS[i]![0]} ${tool.name} input`, tool.inputSchema as JsonObject]);
          if (tool.outputSchema) schemas.push([`${SERVERS[i]![0]} ${tool.name} output`, tool.outputSchema as JsonObject]);
        }
      });
    }, 60_000);

    it('accept and reject the same instances before and after, reaching both verdicts', () => {
      expect(schemas.length).toBeGreaterThan(40);
      const problems: string[] = [];
      for (const [name, schema] of schemas) {
        const compactedSchema = compactSchema(schema);
        if (compactedSchema === schema) problems.push(`${name}: unchanged`);
        const { disagreement, accepted, rejected } = compare(schema, compactedSchema);
        if (disagreement) problems.push(`${name}: ${disagreement}`);
        if (accepted === 0 || rejected === 0) problems.push(`${name}: accepted ${accepted}, rejected ${rejected}`);
      }
      expect(problems).toEqual([]);
    });
  });
});

describe('the comparison catches a compaction that changes validation', () => {
  const omit = (schema: JsonObject, key: string): JsonObject => Object.fromEntries(Object.entries(schema).filter(([k]) => k !== key));

  it('dropping `required`', () => {
    const schema = { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] };
    expect(compare(schema, omit(schema, 'required')).disagreement).toMatch(/they differ on/);
  });

  it('dropping `minLength: 1` inside a property', () => {
    const schema = { type: 'object', properties: { q: { type: 'string', minLength: 1 } } };
    expect(compare(schema, { type: 'object', properties: { q: { type: 'string' } } }).disagreement).toMatch(/they differ on/);
  });

  it('dropping a definition that is in use', () => {
    const schema = TRICKY['refs, transitive and unused definitions, recursion']!;
    const broken = { ...schema, $id: 'https://example.test/tree-broken', $defs: {} };
    expect(compare(schema, broken).disagreement).toMatch(/compacted does not compile/);
  });

  it('dropping a draft-07 `$schema` the schema depends on', () => {
    const schema = TRICKY['draft-07 tuple items and additionalItems']!;
    expect(compare(schema, omit(schema, '$schema')).disagreement).toMatch(/compacted does not compile/);
  });

  it('dropping an `additionalProperties: true` that unevaluatedProperties reads', () => {
    const schema = TRICKY['unevaluatedProperties reading a trivial additionalProperties']!;
    expect(compare(schema, { ...schema, allOf: [{}] }).disagreement).toMatch(/they differ on/);
  });
});
