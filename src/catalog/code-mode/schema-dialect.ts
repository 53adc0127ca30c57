import { ANNOTATIONS, isObject, subschemas, type JsonObject } from './schema-keywords.js';
import { MAX_WALK_DEPTH, TooDeep } from './schema-refs.js';

const DIALECT = /^https?:\/\/json-schema\.org\/(draft-07|draft\/2019-09|draft\/2020-12)\/schema#?$/;

/**
 * Keywords that do not mean the same in draft-07, 2019-09 and 2020-12, or exist in only some of
 * them (2020-12 Core §8 and Validation §10 against draft-07 Validation §6): with any of these
 * present, the declared `$schema` decides what the schema accepts.
 */
const DIALECT_BOUND = new Set([
  'additionalItems', 'dependencies', 'dependentSchemas', 'dependentRequired', 'prefixItems',
  'unevaluatedItems', 'unevaluatedProperties', 'minContains', 'maxContains', 'contentSchema',
  '$recursiveRef', '$recursiveAnchor', '$dynamicRef', '$dynamicAnchor', '$anchor', '$vocabulary',
  '$schema', '$id',
]);

/** What may sit beside a `$ref` without being read differently by draft-07 and 2020-12. */
const REF_NEIGHBOURS = new Set(['$ref', '$defs', 'definitions', '$schema', '$id']);

/**
 * Whether the root `$schema` can go without changing what the schema accepts. MCP reads a schema
 * without `$schema` as 2020-12 (2025-11-25 basic spec, "JSON Schema Usage"), so a 2020-12
 * declaration is redundant; a draft-07 or 2019-09 one is too when nothing in the schema reads
 * differently across those dialects: no tuple-form `items`, no keyword of DIALECT_BOUND, and no
 * `$ref` with assertion siblings (draft-07 ignores a `$ref`'s siblings, 2020-12 applies them).
 * Any other dialect (draft-04, a custom meta-schema) stays: validators refuse or read it apart.
 */
export function canDropDialect(root: JsonObject): boolean {
  const declared = root.$schema;
  if (typeof declared !== 'string') return false;
  const match = DIALECT.exec(declared);
  if (!match) return false;
  if (match[1] === 'draft/2020-12') return true;
  return readsTheSameEverywhere(root, true, 0);
}

function readsTheSameEverywhere(schema: JsonObject | boolean, isRoot: boolean, depth: number): boolean {
  if (depth > MAX_WALK_DEPTH) throw new TooDeep();
  if (!isObject(schema)) return true;
  for (const key of Object.keys(schema)) {
    if (DIALECT_BOUND.has(key) && !(isRoot && (key === '$schema' || key === '$id'))) return false;
  }
  if (Array.isArray(schema.items)) return false;
  if ('$ref' in schema && Object.keys(schema).some((key) => !REF_NEIGHBOURS.has(key) && !ANNOTATIONS.has(key))) return false;
  return subschemas(schema).every(([, sub]) => readsTheSameEverywhere(sub, false, depth + 1));
}
