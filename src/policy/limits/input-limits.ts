import { OutletError } from '../../errors/index.js';

export interface InputLimits {
  maxDepth: number;
  maxStringLength: number;
}

/** A path like `params.arguments.items[3].name`, for error messages. */
function formatPath(parts: readonly (string | number)[]): string {
  let out = '';
  for (const p of parts) out += typeof p === 'number' ? `[${p}]` : /^[A-Za-z_$][\w$]*$/.test(p) ? (out ? `.${p}` : p) : `[${JSON.stringify(p)}]`;
  return out || '(root)';
}

/**
 * Checks a parsed JSON message against the content limits before anything else reads it: nesting
 * depth, string and key length, and no `__proto__` keys (harmless to JSON.parse, dangerous to any
 * later merge that assigns instead of defining). Iterative, so a hostile depth cannot overflow
 * the stack here; it stops at the first violation. Throws INPUT_LIMIT_EXCEEDED or INVALID_REQUEST
 * naming the path.
 */
export function checkInputLimits(message: unknown, limits: InputLimits): void {
  // Paths are built only on a violation: each entry links to its parent.
  interface Entry {
    value: unknown;
    depth: number;
    key: string | number | undefined;
    parent: Entry | undefined;
  }
  const pathOf = (entry: Entry | undefined, extra?: string): string => {
    const parts: (string | number)[] = extra === undefined ? [] : [extra];
    for (let e = entry; e && e.key !== undefined; e = e.parent) parts.unshift(e.key);
    return formatPath(parts);
  };
  const stack: Entry[] = [{ value: message, depth: 0, key: undefined, parent: undefined }];
  while (stack.length > 0) {
    const entry = stack.pop()!;
    const { value, depth } = entry;
    if (typeof value === 'string') {
      if (value.length > limits.maxStringLength) {
        const path = pathOf(entry);
        throw new OutletError('INPUT_LIMIT_EXCEEDED', `${path}: string of ${value.length} characters exceeds the limit of ${limits.maxStringLength}`, { path, limit: limits.maxStringLength });
      }
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (depth >= limits.maxDepth) {
      const path = pathOf(entry);
      throw new OutletError('INPUT_LIMIT_EXCEEDED', `${path}: nesting deeper than ${limits.maxDepth} levels`, { path, limit: limits.maxDepth });
    }
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], depth: depth + 1, key: i, parent: entry });
      continue;
    }
    for (const key of Object.keys(value)) {
      if (key === '__proto__') {
        const path = pathOf(entry, key);
        throw new OutletError('INVALID_REQUEST', `${path}: the key "__proto__" is not accepted`, { path });
      }
      if (key.length > limits.maxStringLength) {
        const path = pathOf(entry);
        throw new OutletError('INPUT_LIMIT_EXCEEDED', `${path}: a key of ${key.length} characters exceeds the limit of ${limits.maxStringLength}`, { path, limit: limits.maxStringLength });
      }
      stack.push({ value: (value as Record<string, unknown>)[key], depth: depth + 1, key, parent: entry });
    }
  }
}
