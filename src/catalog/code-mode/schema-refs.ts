import { isObject, type JsonObject } from './schema-keywords.js';

/** Thrown by the walks below on a document nested deeper than anyone writes by hand (or a cycle). */
export class TooDeep extends Error {}

/** Deeper than any real schema, shallow enough that recursion never nears Node's stack limit. */
export const MAX_WALK_DEPTH = 200;

const REF_KEYWORDS = ['$ref', '$dynamicRef', '$recursiveRef'];

/**
 * Every reference string in `value`, wherever it sits. Over-approximate on purpose: a `$ref` key
 * inside an `enum` value or an unknown keyword is collected too, which can only make a caller keep
 * more, never drop something in use.
 */
export function refsIn(value: unknown, out: string[] = [], depth = 0): string[] {
  if (depth > MAX_WALK_DEPTH) throw new TooDeep();
  if (Array.isArray(value)) {
    for (const item of value) refsIn(item, out, depth + 1);
  } else if (isObject(value)) {
    for (const [key, item] of Object.entries(value)) {
      if (REF_KEYWORDS.includes(key) && typeof item === 'string') out.push(item);
      else refsIn(item, out, depth + 1);
    }
  }
  return out;
}

/**
 * The decoded JSON Pointer of a reference's fragment (RFC 6901 after URI percent-decoding, as
 * 2020-12 Core §8.2.3.1 resolves it): `"#/$defs/a~1b"` -> `['$defs', 'a/b']`, `"#"` -> `[]`.
 * Undefined for an anchor name (`"#node"`) or an undecodable fragment.
 */
export function pointerOf(ref: string): string[] | undefined {
  const hash = ref.indexOf('#');
  const fragment = hash < 0 ? '' : ref.slice(hash + 1);
  if (fragment === '') return hash < 0 ? undefined : [];
  if (!fragment.startsWith('/')) return undefined;
  try {
    return fragment.slice(1).split('/').map((s) => decodeURIComponent(s).replace(/~1/g, '/').replace(/~0/g, '~'));
  } catch {
    return undefined;
  }
}

/** Whether the reference stays in this document: `"#"` or `"#/..."`, no URI before the fragment. */
export function isLocalPointer(ref: string): boolean {
  return ref.startsWith('#') && pointerOf(ref) !== undefined;
}

/** The value at a pointer, or undefined where the path leads nowhere. */
export function resolvePointer(root: unknown, path: readonly string[]): unknown {
  let node: unknown = root;
  for (const segment of path) {
    if (Array.isArray(node) && /^(0|[1-9]\d*)$/.test(segment)) node = node[Number(segment)];
    else if (isObject(node) && Object.hasOwn(node, segment)) node = node[segment];
    else return undefined;
  }
  return node;
}

/** Whether any object below the root declares `$id` (a base URI change for what is under it). */
export function hasNestedId(value: unknown, depth = 0): boolean {
  if (depth > MAX_WALK_DEPTH) throw new TooDeep();
  if (Array.isArray(value)) return value.some((item) => hasNestedId(item, depth + 1));
  if (!isObject(value)) return false;
  if (depth > 0 && '$id' in value) return true;
  return Object.values(value).some((item) => hasNestedId(item, depth + 1));
}

/** Whether a key appears anywhere in the document (an over-approximate keyword test). */
export function hasKey(value: unknown, keys: ReadonlySet<string>, depth = 0): boolean {
  if (depth > MAX_WALK_DEPTH) throw new TooDeep();
  if (Array.isArray(value)) return value.some((item) => hasKey(item, keys, depth + 1));
  if (!isObject(value)) return false;
  return Object.entries(value).some(([key, item]) => keys.has(key) || hasKey(item, keys, depth + 1));
}

/** The definition containers a document may hold at its root. */
export const DEFINITION_KEYS = ['$defs', 'definitions'] as const;

/**
 * The root definitions some reference reaches, directly or through another reached definition,
 * as `"$defs/name"` keys. Only meaningful when every reference is a local pointer.
 */
export function reachedDefinitions(root: JsonObject): Set<string> {
  const rest = Object.fromEntries(Object.entries(root).filter(([key]) => !(DEFINITION_KEYS as readonly string[]).includes(key)));
  const reached = new Set<string>();
  const pending = refsIn(rest);
  const reach = (container: string, name: string) => {
    const key = `${container}/${name}`;
    if (reached.has(key)) return;
    reached.add(key);
    const defs = root[container];
    if (isObject(defs) && Object.hasOwn(defs, name)) refsIn(defs[name], pending);
  };
  while (pending.length > 0) {
    const path = pointerOf(pending.pop()!);
    const container = path?.[0];
    if (container === undefined || !(DEFINITION_KEYS as readonly string[]).includes(container)) continue;
    // A pointer at the container itself ("#/$defs") reaches every entry in it.
    const defs = root[container];
    const names = path!.length > 1 ? [path![1]!] : isObject(defs) ? Object.keys(defs) : [];
    for (const name of names) reach(container, name);
  }
  return reached;
}
