import type { Tool } from '@modelcontextprotocol/server';
import { compactText } from './doc-text.js';
import { compactToolAnnotations } from './tool-annotations.js';
import { canDropDialect } from './schema-dialect.js';
import { isObject, isSchema, SCHEMA_LISTS, SCHEMA_MAPS, SCHEMA_SINGLES, type JsonObject } from './schema-keywords.js';
import { DEFINITION_KEYS, hasKey, hasNestedId, isLocalPointer, MAX_WALK_DEPTH, pointerOf, reachedDefinitions, refsIn, TooDeep } from './schema-refs.js';

/** What the walk may drop in one document, decided once from the whole of it. */
interface Plan {
  /** Pointer paths some reference reaches: nothing on or under them may go. */
  targets: string[][];
  /** No nested `$id`: every pointer is relative to the root, so `targets` is the whole story. */
  structural: boolean;
  /** Root definitions in use, when every reference is a local pointer (else all are kept). */
  reached: Set<string> | undefined;
  /** unevaluated* reads the annotations of `items` and `additionalProperties`, even trivial ones. */
  unevaluated: boolean;
}

interface Hint {
  /** The property or definition name this schema sits under (a title repeating it says nothing). */
  key?: string;
  /** The parent's `default` when this schema is one of its `allOf` branches. */
  parentDefault?: { value: unknown };
  isRoot?: boolean;
}

const DROP = Symbol('drop');
const UNEVALUATED = new Set(['unevaluatedProperties', 'unevaluatedItems']);

/**
 * A schema without what cannot change what it accepts or what it tells a reader: `$comment`, the
 * root `$schema` where the dialect makes no difference (see canDropDialect), a root `$id` no
 * reference needs, root definitions no reference reaches (transitively), trivially true keywords
 * (`minLength: 0`, `required: []`, `additionalProperties: true`, `items: {}`...), a `title` that
 * repeats its property name, an `allOf` branch's `default` equal to its parent's; description
 * and title text whitespace-compacted (compactText). Anything a reference points into stays.
 * Returns `schema` itself when nothing changes and never mutates it; a document nested deeper than
 * MAX_WALK_DEPTH (or cyclic) comes back untouched.
 *
 * @example
 * compactSchema({ $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'object', required: [] });
 * // { type: 'object' }
 */
export function compactSchema<S>(schema: S): S {
  if (!isObject(schema)) return schema;
  try {
    return compactRoot(schema) as S;
  } catch (err) {
    if (err instanceof TooDeep) return schema;
    throw err;
  }
}

/**
 * The tool with both schemas compacted (compactSchema), its description's whitespace compacted
 * like the descriptions inside them, and annotations that only repeat defaults dropped
 * (tool-annotations.ts); the same object when nothing changes.
 *
 * @example
 * const published = compactToolSchemas(tool);
 */
export function compactToolSchemas(tool: Tool): Tool {
  const inputSchema = compactSchema(tool.inputSchema);
  const outputSchema = tool.outputSchema === undefined ? undefined : compactSchema(tool.outputSchema);
  // The tool's own description gets the same whitespace treatment as the descriptions inside its schemas.
  const description = typeof tool.description === 'string' ? compactText(tool.description) : undefined;
  const lean = compactToolAnnotations(tool);
  if (inputSchema === tool.inputSchema && outputSchema === tool.outputSchema && description === tool.description && lean === tool) return tool;
  const compacted: Tool = { ...lean, inputSchema };
  if (outputSchema !== undefined) compacted.outputSchema = outputSchema;
  if (description !== undefined) compacted.description = description;
  return compacted;
}

function compactRoot(root: JsonObject): JsonObject {
  const refs = refsIn(root);
  const nestedId = hasNestedId(root);
  const allLocal = refs.every(isLocalPointer);
  const plan: Plan = {
    targets: refs.map(pointerOf).filter((path): path is string[] => path !== undefined),
    structural: !nestedId,
    reached: !nestedId && allLocal ? reachedDefinitions(root) : undefined,
    unevaluated: hasKey(root, UNEVALUATED),
  };
  const dropDialect = canDropDialect(root);
  // A root $id is the base every reference resolves against; with only "#..." references and no
  // nested $id it changes nothing (2020-12 Core §8.2.1), unless it carries a fragment of its own.
  const dropId = typeof root.$id === 'string' && !root.$id.includes('#') && !nestedId && allLocal;
  const out = compactNode(root, [], plan, { isRoot: true }) as JsonObject;
  if (!(dropDialect && '$schema' in out) && !(dropId && '$id' in out)) return out;
  return Object.fromEntries(Object.entries(out).filter(([key]) => !(key === '$schema' && dropDialect) && !(key === '$id' && dropId)));
}

function compactNode(node: JsonObject | boolean, path: string[], plan: Plan, hint: Hint): JsonObject | boolean {
  if (!isObject(node)) return node;
  if (path.length > MAX_WALK_DEPTH) throw new TooDeep();
  const entries: Array<[string, unknown]> = [];
  let changed = false;
  for (const [key, value] of Object.entries(node)) {
    const next = compactKeyword(node, key, value, path, plan, hint);
    if (next !== value) changed = true;
    if (next !== DROP) entries.push([key, next]);
  }
  // fromEntries defines own properties, so a "__proto__" property stays a property.
  return changed ? Object.fromEntries(entries) : node;
}

function compactKeyword(node: JsonObject, key: string, value: unknown, path: string[], plan: Plan, hint: Hint): unknown {
  const here = [...path, key];
  const droppable = plan.structural && !plan.targets.some((target) => startsWith(target, here));
  if (droppable && key === '$comment') return DROP;
  if ((key === 'title' || key === 'description') && typeof value === 'string') {
    if (droppable && key === 'title' && hint.key !== undefined && sameWords(value, hint.key)) return DROP;
    return compactText(value);
  }
  if (droppable && key === 'default' && hint.parentDefault && deepEqual(value, hint.parentDefault.value)) return DROP;
  if (droppable && triviallyTrue(node, key, value, plan, hint)) return DROP;
  if (SCHEMA_MAPS.has(key) && isObject(value)) return compactMap(key, value, here, plan, hint);
  if (SCHEMA_LISTS.has(key) && Array.isArray(value)) {
    const parentDefault = key === 'allOf' && 'default' in node ? { value: node.default } : undefined;
    const items = value.map((sub, i) => (isSchema(sub) ? compactNode(sub, [...here, String(i)], plan, { parentDefault }) : sub));
    return items.every((item, i) => item === value[i]) ? value : items;
  }
  if (SCHEMA_SINGLES.has(key) && isSchema(value)) return compactNode(value, here, plan, {});
  return value;
}

function compactMap(key: string, map: JsonObject, here: string[], plan: Plan, hint: Hint): unknown {
  const definitions = hint.isRoot === true && (DEFINITION_KEYS as readonly string[]).includes(key);
  const named = key === 'properties' || (DEFINITION_KEYS as readonly string[]).includes(key);
  const entries: Array<[string, unknown]> = [];
  let changed = false;
  for (const [name, sub] of Object.entries(map)) {
    // Not `droppable`: a pointer into a definition reaches it (so it is in `reached`) or comes
    // from a definition that is itself unreached and goes too.
    if (definitions && plan.reached && !plan.reached.has(`${key}/${name}`)) {
      changed = true;
      continue;
    }
    const next = isSchema(sub) ? compactNode(sub, [...here, name], plan, named ? { key: name } : {}) : sub;
    if (next !== sub) changed = true;
    entries.push([name, next]);
  }
  if (!changed) return map;
  return entries.length === 0 && definitions ? DROP : Object.fromEntries(entries);
}

/** Keywords that accept every instance as written (JSON Schema Validation §6 lower bounds of 0...). */
function triviallyTrue(node: JsonObject, key: string, value: unknown, plan: Plan, hint: Hint): boolean {
  switch (key) {
    case 'minLength':
    case 'minItems':
    case 'minProperties':
      return value === 0;
    case 'uniqueItems':
      return value === false;
    case 'required':
      return Array.isArray(value) && value.length === 0;
    case 'dependencies':
    case 'dependentRequired':
    case 'dependentSchemas':
    case 'patternProperties':
    case '$defs':
    case 'definitions':
      return isEmptyObject(value);
    case 'properties':
      // Kept at the root: clients and model APIs expect `properties` on a tool's input object.
      return isEmptyObject(value) && hint.isRoot !== true;
    case 'additionalProperties':
    case 'additionalItems':
      return (value === true || isEmptyObject(value)) && !plan.unevaluated;
    case 'items':
      return (value === true || isEmptyObject(value)) && !plan.unevaluated && !('additionalItems' in node);
    default:
      return false;
  }
}

function isEmptyObject(value: unknown): boolean {
  return isObject(value) && Object.keys(value).length === 0;
}

function startsWith(path: readonly string[], prefix: readonly string[]): boolean {
  return path.length >= prefix.length && prefix.every((segment, i) => path[i] === segment);
}

/** "File Path" repeats `file_path`: the same letters once case, spaces, `_` and `-` are set aside. */
function sameWords(title: string, key: string): boolean {
  const plain = (s: string) => s.toLowerCase().replace(/[\s_-]+/g, '');
  return plain(title) === plain(key);
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((item, i) => deepEqual(item, b[i]));
  if (!isObject(a) || !isObject(b)) return false;
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => Object.hasOwn(b, key) && deepEqual(a[key], b[key]));
}
