/**
 * Moving a tool's JSON Schema into an OpenAPI 3.1 document without breaking its references.
 *
 * A tool schema is written as a document of its own: `#/$defs/Node`, `#/definitions/x`, or a
 * pointer into its own properties (`#/properties/a/items`, which older zod converters emit for a
 * repeated sub-schema), and `#` for recursion, all mean "from the root of this schema". Once the
 * schema sits at `#/components/schemas/<key>` of the OpenAPI document, those pointers would
 * resolve against the document's root instead, where nothing of the sort exists. So every local
 * pointer is re-based onto the schema's new home; JSON Schema 2020-12 is otherwise native to OAS
 * 3.1 and the schema is kept exactly as the server published it.
 */

/** Keywords whose values are data (instances), not schemas: a `$ref` in there is not a reference. */
const DATA_KEYWORDS = new Set(['const', 'enum', 'default', 'examples', 'example']);

/** Keywords whose values map names to schemas: the names are not keywords, each value is a schema. */
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas']);

/**
 * A copy of `schema` whose local `$ref` pointers (`#` and `#/...`) point under `base`, a JSON
 * pointer URI fragment such as `#/components/schemas/tool.fs__read.input`. The input is not
 * modified (catalog entries are shared).
 *
 * A (sub)schema with its own `$id` starts a new schema resource whose `#` refs are its own, so
 * it is copied untouched; anchors (`#name`) and remote refs are left as they are too.
 */
export function rebaseSchemaRefs(schema: unknown, base: string): unknown {
  return rebaseSchema(schema, base);
}

function rebaseSchema(node: unknown, base: string): unknown {
  if (Array.isArray(node)) return node.map((item) => rebaseSchema(item, base));
  if (node === null || typeof node !== 'object') return node;
  const object = node as Record<string, unknown>;
  if (typeof object.$id === 'string') return object;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(object)) {
    if (key === '$ref' && typeof value === 'string') out[key] = rebaseRef(value, base);
    else if (DATA_KEYWORDS.has(key)) out[key] = value;
    else if (SCHEMA_MAPS.has(key) && value !== null && typeof value === 'object' && !Array.isArray(value)) {
      out[key] = Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([name, sub]) => [name, rebaseSchema(sub, base)]));
    } else out[key] = rebaseSchema(value, base);
  }
  return out;
}

function rebaseRef(ref: string, base: string): string {
  if (ref === '#') return base;
  if (ref.startsWith('#/')) return base + ref.slice(1);
  return ref;
}
