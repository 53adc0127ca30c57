import type * as z from 'zod';
import { suggest } from './did-you-mean.js';
import { formatPath, type ConfigIssue, type PathSegment } from './issues.js';
import { knownKeysAt } from './schema-walk.js';

/** The JSON-ish type name of a value, as a user would say it ("array", not "object"). */
export function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

const EXPECTED_NAMES: Record<string, string> = { int: 'integer', record: 'object' };

function quoteList(values: readonly unknown[]): string {
  return values.map((v) => JSON.stringify(v)).join(', ');
}

function sizeReason(iss: { origin: string; inclusive?: boolean }, bound: number | bigint, side: 'min' | 'max'): string {
  if (iss.origin === 'string' && side === 'min' && Number(bound) === 1) return 'must not be empty';
  if (iss.origin === 'string') return `must be ${side === 'min' ? 'at least' : 'at most'} ${bound} characters`;
  if (iss.origin === 'array') return `must have ${side === 'min' ? 'at least' : 'at most'} ${bound} item(s)`;
  if (side === 'min') return iss.inclusive === false ? `must be greater than ${bound}` : `must be at least ${bound}`;
  return iss.inclusive === false ? `must be less than ${bound}` : `must be at most ${bound}`;
}

/**
 * Parse-time error map: short, human reasons in place of zod's default wording. Schema-level
 * messages (given with `{ error }` on a field) still win, because zod consults them first.
 */
export const configErrorMap: z.core.$ZodErrorMap = (iss) => {
  switch (iss.code) {
    case 'invalid_type': {
      if (iss.input === undefined) return 'required';
      const expected = EXPECTED_NAMES[iss.expected] ?? iss.expected;
      if (iss.expected === 'int' && typeof iss.input === 'number') return `expected integer, got ${iss.input}`;
      return `expected ${expected}, got ${typeName(iss.input)}`;
    }
    case 'invalid_value': {
      const hint = typeof iss.input === 'string' ? suggest(iss.input, iss.values.map(String)) : undefined;
      return `expected one of ${quoteList(iss.values)}${hint === undefined ? '' : ` (did you mean "${hint}"?)`}`;
    }
    case 'too_small':
      return sizeReason(iss, iss.minimum, 'min');
    case 'too_big':
      return sizeReason(iss, iss.maximum, 'max');
    case 'invalid_format':
      return `invalid ${iss.format}`;
    default:
      return undefined;
  }
};

/**
 * Converts zod issues into config issues. An unrecognized-keys issue becomes one issue per key,
 * each with a did-you-mean taken from the keys the object accepts; a bad record key reports the
 * key's own rule.
 */
export function fromZodIssues(issues: readonly z.core.$ZodIssue[], schema: z.core.$ZodType): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  for (const iss of issues) {
    const path = iss.path as PathSegment[];
    if (iss.code === 'unrecognized_keys') {
      const known = knownKeysAt(schema, path);
      for (const key of iss.keys) {
        const hint = suggest(key, known);
        out.push({ path: formatPath([...path, key]), message: `unknown key${hint === undefined ? '' : ` (did you mean "${hint}"?)`}` });
      }
    } else if (iss.code === 'invalid_key') {
      out.push({ path: formatPath(path), message: iss.issues[0]?.message ?? 'invalid key' });
    } else {
      out.push({ path: formatPath(path), message: iss.message });
    }
  }
  return out;
}
