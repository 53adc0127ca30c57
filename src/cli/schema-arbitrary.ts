import type * as FastCheck from 'fast-check';
import { numberOf, stringOf } from './schema-scalars.js';

/** fast-check's functions, however it was imported (its namespace or its default export). */
type Fc = Omit<typeof FastCheck, 'default'>;
type Arb = FastCheck.Arbitrary<unknown>;
type Schema = Record<string, unknown>;

/** Below this depth every value is free-form JSON: recursive schemas ($ref to itself) must end. */
const MAX_DEPTH = 6;

/**
 * Inputs for a JSON Schema, most of them near what it accepts: each node is generated from its
 * keywords (types, properties, enums, bounds, formats, patterns, local $refs, the branches of
 * anyOf/oneOf/allOf), and at every node some values are free-form JSON instead, so that the corpus
 * holds valid inputs and inputs that are wrong in one place. A corpus of only random JSON would
 * be rejected almost whole by any object schema and tell two schemas apart on nothing.
 *
 * @example
 * const fc = await import('fast-check');
 * fc.sample(inputArbitrary(fc, { type: 'object', properties: { n: { type: 'integer' } } }), 3);
 */
export function inputArbitrary(fc: Fc, schema: unknown): Arb {
  return node(fc, schema, isSchema(schema) ? schema : {}, 0);
}

function node(fc: Fc, schema: unknown, root: Schema, depth: number): Arb {
  const loose = fc.jsonValue({ maxDepth: 2 });
  if (!isSchema(schema) || depth > MAX_DEPTH) return loose;
  return fc.oneof({ weight: 15, arbitrary: typed(fc, schema, root, depth) }, { weight: 1, arbitrary: loose });
}

function typed(fc: Fc, schema: Schema, root: Schema, depth: number): Arb {
  const next = (s: unknown) => node(fc, s, root, depth + 1);
  if (typeof schema.$ref === 'string') {
    const { $ref, ...rest } = schema;
    const target = resolvePointer(root, $ref);
    return target === undefined ? fc.jsonValue({ maxDepth: 2 }) : next(merge(rest, target));
  }
  if ('const' in schema) return fc.constant(schema.const);
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return fc.constantFrom(...(schema.enum as unknown[]));
  if (Array.isArray(schema.allOf)) {
    const { allOf, ...rest } = schema;
    return typed(fc, (allOf as unknown[]).reduce<Schema>((acc, s) => merge(acc, s), rest), root, depth);
  }
  const branches = (Array.isArray(schema.anyOf) ? schema.anyOf : Array.isArray(schema.oneOf) ? schema.oneOf : undefined) as unknown[] | undefined;
  if (branches && branches.length > 0) {
    const { anyOf: _a, oneOf: _o, ...rest } = schema;
    return fc.oneof(...branches.map((b) => typed(fc, merge(rest, b), root, depth)));
  }
  const types = typesOf(schema);
  if (types.length === 0) return fc.jsonValue({ maxDepth: 2 });
  return fc.oneof(...types.map((t) => ofType(fc, t, schema, next)));
}

function ofType(fc: Fc, type: string, schema: Schema, next: (s: unknown) => Arb): Arb {
  switch (type) {
    case 'object':
      return objectOf(fc, schema, next);
    case 'array':
      return arrayOf(fc, schema, next);
    case 'string':
      return stringOf(fc, schema);
    case 'integer':
    case 'number':
      return numberOf(fc, schema, type === 'integer');
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

function objectOf(fc: Fc, schema: Schema, next: (s: unknown) => Arb): Arb {
  const props = isSchema(schema.properties) ? schema.properties : {};
  const required = Array.isArray(schema.required) ? (schema.required as unknown[]).filter((k): k is string => typeof k === 'string') : [];
  const model: Record<string, Arb> = {};
  for (const [key, sub] of Object.entries(props)) model[key] = next(sub);
  // Required keys present (most inputs); or one of them taken out of an otherwise fitting input;
  // or every key optional.
  const complete = fc.record(model, { requiredKeys: required.filter((k) => k in model) });
  const lacking = fc.tuple(complete, fc.nat()).map(([value, i]) => {
    const copy: Record<string, unknown> = { ...(value as object) };
    if (required.length > 0) delete copy[required[i % required.length]!];
    return copy;
  });
  const known = fc.oneof({ weight: 4, arbitrary: complete }, { weight: 1, arbitrary: lacking }, { weight: 1, arbitrary: fc.record(model, { requiredKeys: [] }) });
  const extraValue = isSchema(schema.additionalProperties) ? next(schema.additionalProperties) : fc.jsonValue({ maxDepth: 1 });
  const extraKeys = fc.oneof(fc.constantFrom(...required, 'extra', 'x'), fc.string({ maxLength: 6 }));
  const extras = fc.oneof({ weight: 5, arbitrary: fc.constant({}) }, { weight: 1, arbitrary: fc.dictionary(extraKeys, extraValue, { maxKeys: 2 }) });
  return fc.tuple(known, extras).map(([k, e]) => ({ ...(e as object), ...(k as object) }));
}

function arrayOf(fc: Fc, schema: Schema, next: (s: unknown) => Arb): Arb {
  const min = typeof schema.minItems === 'number' ? schema.minItems : 0;
  const max = Math.min(typeof schema.maxItems === 'number' ? schema.maxItems + 1 : min + 4, min + 6);
  const prefix = (Array.isArray(schema.prefixItems) ? schema.prefixItems : Array.isArray(schema.items) ? schema.items : []) as unknown[];
  const rest = isSchema(schema.items) ? next(schema.items) : fc.jsonValue({ maxDepth: 1 });
  const fewest = Math.max(0, min - prefix.length);
  const tail = fc.array(rest, { minLength: fewest, maxLength: Math.max(fewest, max - prefix.length) });
  if (prefix.length === 0) return tail;
  return fc.tuple(fc.tuple(...prefix.map(next)), tail).map(([head, more]) => [...head, ...more]);
}

function typesOf(schema: Schema): string[] {
  if (typeof schema.type === 'string') return [schema.type];
  if (Array.isArray(schema.type)) return schema.type.filter((t): t is string => typeof t === 'string');
  if (isSchema(schema.properties) || 'required' in schema || 'additionalProperties' in schema) return ['object'];
  if ('items' in schema || 'prefixItems' in schema) return ['array'];
  if ('pattern' in schema || 'format' in schema || 'minLength' in schema || 'maxLength' in schema) return ['string'];
  if ('minimum' in schema || 'maximum' in schema || 'multipleOf' in schema) return ['number'];
  return [];
}

/** A local JSON Pointer reference (`#`, `#/$defs/x`); undefined for any other kind. */
function resolvePointer(root: Schema, ref: string): unknown {
  if (!ref.startsWith('#')) return undefined;
  let at: unknown = root;
  for (const raw of ref.slice(1).split('/').slice(1)) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (!isSchema(at) || !Object.hasOwn(at, key)) return undefined;
    at = at[key];
  }
  return at;
}

/** Two schemas' keywords together, for generation only: properties and required are joined. */
function merge(base: Schema, extra: unknown): Schema {
  if (!isSchema(extra)) return base;
  const out: Schema = { ...base, ...extra };
  if (isSchema(base.properties) && isSchema(extra.properties)) out.properties = { ...base.properties, ...extra.properties };
  if (Array.isArray(base.required) && Array.isArray(extra.required)) out.required = [...new Set([...base.required, ...extra.required])];
  return out;
}

function isSchema(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
