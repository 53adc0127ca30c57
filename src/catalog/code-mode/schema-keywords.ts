/** A JSON object: the shape every schema keyword lives in. */
export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A subschema is an object or, since draft-06, a boolean. */
export function isSchema(value: unknown): value is JsonObject | boolean {
  return typeof value === 'boolean' || isObject(value);
}

/**
 * Keywords whose value is one subschema (JSON Schema 2020-12 Core §10 and Validation §8.2.4, plus
 * draft-07's `additionalItems` and 2019-09's spellings). `items` is here and in SCHEMA_LISTS:
 * draft-07 allows both forms.
 */
export const SCHEMA_SINGLES: ReadonlySet<string> = new Set([
  'additionalProperties', 'additionalItems', 'items', 'contains', 'propertyNames', 'not', 'if', 'then', 'else',
  'unevaluatedItems', 'unevaluatedProperties', 'contentSchema',
]);

/** Keywords whose value is an array of subschemas. */
export const SCHEMA_LISTS: ReadonlySet<string> = new Set(['allOf', 'anyOf', 'oneOf', 'prefixItems', 'items']);

/** Keywords whose value maps names to subschemas (`dependencies` values may also be name lists). */
export const SCHEMA_MAPS: ReadonlySet<string> = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas', 'dependencies']);

/** Keywords that only annotate: no validator reads them to decide acceptance. */
export const ANNOTATIONS: ReadonlySet<string> = new Set([
  'title', 'description', 'default', 'examples', 'deprecated', 'readOnly', 'writeOnly', '$comment',
  'contentMediaType', 'contentEncoding',
]);

/**
 * Each direct subschema of `schema` with the keyword path that leads to it (`['properties', 'a']`,
 * `['anyOf', '0']`, `['not']`). Values of unknown keywords are not visited: they are not schemas.
 */
export function subschemas(schema: JsonObject): Array<[path: string[], sub: JsonObject | boolean]> {
  const out: Array<[string[], JsonObject | boolean]> = [];
  for (const [key, value] of Object.entries(schema)) {
    if (SCHEMA_LISTS.has(key) && Array.isArray(value)) {
      value.forEach((sub, i) => isSchema(sub) && out.push([[key, String(i)], sub]));
    } else if (SCHEMA_SINGLES.has(key) && isSchema(value)) {
      out.push([[key], value]);
    } else if (SCHEMA_MAPS.has(key) && isObject(value)) {
      for (const [name, sub] of Object.entries(value)) if (isSchema(sub)) out.push([[key, name], sub]);
    }
  }
  return out;
}
