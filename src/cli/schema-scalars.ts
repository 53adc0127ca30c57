import type * as FastCheck from 'fast-check';

/** fast-check's functions, however it was imported (its namespace or its default export). */
type Fc = Omit<typeof FastCheck, 'default'>;
type Arb = FastCheck.Arbitrary<unknown>;
type Schema = Record<string, unknown>;

// The leaves of inputArbitrary (schema-arbitrary.ts): strings and numbers near a schema's own
// bounds, formats and patterns, with some just outside them.

/** Strings within the length bounds (and one short of the minimum), shaped by `format` or `pattern` where it can. */
export function stringOf(fc: Fc, schema: Schema): Arb {
  const min = typeof schema.minLength === 'number' ? schema.minLength : 0;
  const max = typeof schema.maxLength === 'number' ? schema.maxLength + 1 : min + 12;
  const lower = Math.max(0, min - 1);
  // max() keeps a schema with contradictory bounds (maxLength below minLength) generating.
  const plain = fc.string({ minLength: lower, maxLength: Math.max(lower, Math.min(max, min + 40)) });
  const shaped = [formatted(fc, schema.format), patterned(fc, schema.pattern)].filter((a): a is Arb => a !== undefined);
  return shaped.length === 0 ? plain : fc.oneof({ weight: 1, arbitrary: plain }, ...shaped.map((arbitrary) => ({ weight: 6, arbitrary })));
}

function formatted(fc: Fc, format: unknown): Arb | undefined {
  const date = fc.date({ noInvalidDate: true, min: new Date(0), max: new Date(4102444800000) });
  switch (format) {
    case 'date-time':
      return date.map((d) => d.toISOString());
    case 'date':
      return date.map((d) => d.toISOString().slice(0, 10));
    case 'uri':
    case 'url':
      return fc.webUrl();
    case 'email':
      return fc.emailAddress();
    case 'uuid':
      return fc.uuid();
    case 'ipv4':
      return fc.ipV4();
    case 'ipv6':
      return fc.ipV6();
    default:
      return undefined;
  }
}

function patterned(fc: Fc, pattern: unknown): Arb | undefined {
  if (typeof pattern !== 'string') return undefined;
  try {
    return fc.stringMatching(new RegExp(pattern, 'u'));
  } catch {
    // A pattern fast-check cannot generate from (or not valid as a JS regex): free strings only.
    return undefined;
  }
}

/** Numbers within the bounds, free ones, each bound with a step either side, multiples of `multipleOf`. */
export function numberOf(fc: Fc, schema: Schema, integer: boolean): Arb {
  const num = (key: string) => (typeof schema[key] === 'number' ? (schema[key] as number) : undefined);
  const bounds = ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum'].map(num).filter((v): v is number => v !== undefined);
  // Each bound, and a step either side of it: where an off-by-one in a copied bound would show.
  const edges = bounds.flatMap((b) => [b - 1, b - 0.5, b, b + 0.5, b + 1]).filter((v) => !integer || Number.isInteger(v));
  const low = num('minimum') ?? num('exclusiveMinimum') ?? -1000;
  const high = Math.max(low, num('maximum') ?? num('exclusiveMaximum') ?? low + 100000);
  const safe = (n: number) => Math.min(Number.MAX_SAFE_INTEGER, Math.max(Number.MIN_SAFE_INTEGER, n));
  const range = (min: number, max: number) =>
    integer ? fc.integer({ min: safe(Math.ceil(min)), max: safe(Math.max(Math.ceil(min), Math.floor(max))) }) : fc.double({ noNaN: true, min, max });
  const parts: Array<{ weight: number; arbitrary: Arb }> = [
    { weight: 3, arbitrary: range(low, high) },
    { weight: 1, arbitrary: range(-1e6, 1e6) },
  ];
  if (edges.length > 0) parts.push({ weight: 2, arbitrary: fc.constantFrom(...edges) });
  const step = num('multipleOf');
  if (step !== undefined && step > 0) parts.push({ weight: 2, arbitrary: fc.integer({ min: -50, max: 50 }).map((k) => k * step) });
  return fc.oneof(...parts);
}
