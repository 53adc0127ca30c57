/**
 * The matching rules of the test vectors (README.md, "Matching"): an expected JSON value is a
 * subset of the actual one, with string markers for values that vary between runs.
 */

/** Values captured by `$capture:<name>` in earlier steps, for `{{name}}` in later requests. */
export type Captures = Record<string, unknown>;

const TYPE_MARKERS: Record<string, (v: unknown) => boolean> = {
  $any: () => true,
  $string: (v) => typeof v === 'string',
  $number: (v) => typeof v === 'number',
  $boolean: (v) => typeof v === 'boolean',
  $object: (v) => typeof v === 'object' && v !== null && !Array.isArray(v),
  $array: (v) => Array.isArray(v),
};

const show = (v: unknown): string => (v === undefined ? 'nothing' : JSON.stringify(v)?.slice(0, 160) ?? String(v));
const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function matchString(expected: string, actual: unknown, path: string, captures: Captures): string[] {
  if (expected.startsWith('$$')) return actual === expected.slice(1) ? [] : [`${path}: expected ${show(expected.slice(1))}, got ${show(actual)}`];
  if (expected in TYPE_MARKERS) return actual !== undefined && TYPE_MARKERS[expected]!(actual) ? [] : [`${path}: expected ${expected.slice(1)}, got ${show(actual)}`];
  if (expected.startsWith('$capture:')) {
    if (typeof actual !== 'string' && typeof actual !== 'number') return [`${path}: expected a string or number to capture, got ${show(actual)}`];
    captures[expected.slice('$capture:'.length)] = actual;
    return [];
  }
  if (expected.startsWith('$regex:')) {
    return typeof actual === 'string' && new RegExp(expected.slice('$regex:'.length)).test(actual) ? [] : [`${path}: expected a string matching /${expected.slice(7)}/, got ${show(actual)}`];
  }
  return actual === expected ? [] : [`${path}: expected ${show(expected)}, got ${show(actual)}`];
}

/**
 * Compares `actual` against `expected` and returns every difference as "path: reason" (empty when
 * it matches). Objects match when each expected key matches (extra keys are fine; `"$absent"`
 * demands the key be missing); arrays match element by element with the same length, or with
 * `{"$contains": [...]}` when each listed item matches some element.
 */
export function match(expected: unknown, actual: unknown, captures: Captures, path = '$'): string[] {
  if (typeof expected === 'string') return matchString(expected, actual, path, captures);
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return [`${path}: expected an array, got ${show(actual)}`];
    if (actual.length !== expected.length) return [`${path}: expected ${expected.length} items, got ${actual.length}: ${show(actual)}`];
    return expected.flatMap((item, i) => match(item, actual[i], captures, `${path}[${i}]`));
  }
  if (isPlainObject(expected)) {
    if ('$contains' in expected) {
      if (!Array.isArray(actual)) return [`${path}: expected an array, got ${show(actual)}`];
      return (expected.$contains as unknown[]).flatMap((item, i) => {
        // Captures are kept only from the element that matched, not from failed tries.
        const found = actual.some((el) => {
          const scratch = { ...captures };
          if (match(item, el, scratch, path).length > 0) return false;
          Object.assign(captures, scratch);
          return true;
        });
        return found ? [] : [`${path}: no item matches $contains[${i}] ${show(item)} in ${show(actual)}`];
      });
    }
    if (!isPlainObject(actual)) return [`${path}: expected an object, got ${show(actual)}`];
    return Object.entries(expected).flatMap(([key, value]) => {
      const at = `${path}.${key}`;
      if (value === '$absent') return key in actual ? [`${at}: expected no such key, got ${show(actual[key])}`] : [];
      if (!(key in actual)) return [`${at}: missing`];
      return match(value, actual[key], captures, at);
    });
  }
  return Object.is(expected, actual) ? [] : [`${path}: expected ${show(expected)}, got ${show(actual)}`];
}

/** Replaces `{{name}}` in every string of a value with a captured value; an unknown name is the vector's error. */
export function interpolate<T>(value: T, captures: Captures): T {
  if (typeof value === 'string') {
    return value.replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
      if (!(name in captures)) throw new Error(`{{${name}}} is used before a step captured it`);
      return String(captures[name]);
    }) as T;
  }
  if (Array.isArray(value)) return value.map((v) => interpolate(v, captures)) as T;
  if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolate(v, captures)])) as T;
  return value;
}
