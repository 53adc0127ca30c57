import type * as z from 'zod';
import type { PathSegment } from './issues.js';

type AnySchema = z.core.$ZodType;

/** Wrappers that change presence or defaults but not the shape of the value inside. */
const WRAPPERS = new Set(['optional', 'default', 'prefault', 'nullable', 'readonly', 'nonoptional', 'catch']);

/** Strips optional/default/prefault and similar wrappers down to the schema that checks the value. */
export function unwrapSchema(schema: AnySchema): AnySchema {
  let current = schema;
  while (WRAPPERS.has(current._zod.def.type)) {
    current = (current._zod.def as unknown as { innerType: AnySchema }).innerType;
  }
  return current;
}

/**
 * The (unwrapped) schema that validates the value at `path`, or undefined when the path leaves the
 * schema (an unknown key, say). Used to name the known keys next to an unknown one and to find
 * which interpolated strings stand for numbers or booleans.
 *
 * @example
 * schemaAt(configInputSchema, ['servers', 'fs', 'timeoutMs']); // the z.int() of timeoutMs
 */
export function schemaAt(root: AnySchema, path: readonly PathSegment[]): AnySchema | undefined {
  let current: AnySchema | undefined = unwrapSchema(root);
  for (const seg of path) {
    if (current === undefined) return undefined;
    const def: z.core.$ZodTypeDef = current._zod.def;
    let next: AnySchema | undefined;
    if (def.type === 'object') next = (def as z.core.$ZodObjectDef).shape[String(seg)];
    else if (def.type === 'record') next = (def as z.core.$ZodRecordDef).valueType;
    else if (def.type === 'array' && typeof seg === 'number') next = (def as z.core.$ZodArrayDef).element;
    current = next === undefined ? undefined : unwrapSchema(next);
  }
  return current;
}

/** The keys an object schema at `path` accepts (empty when there is no object schema there). */
export function knownKeysAt(root: AnySchema, path: readonly PathSegment[]): string[] {
  const schema = schemaAt(root, path);
  if (schema?._zod.def.type !== 'object') return [];
  return Object.keys((schema._zod.def as z.core.$ZodObjectDef).shape);
}
