import * as z from 'zod';
import { configInputSchema } from './gateway-schema.js';

/**
 * The JSON Schema (draft 2020-12) of the config file as users write it: the input side of the zod
 * schema, so fields with defaults are optional and show their `default`. Editors can use it for
 * completion and validation via a `$schema` key in the file. Interpolated values (`${PORT}` for a
 * number) are beyond what a static schema can express, so such files may show editor warnings.
 *
 * @example
 * writeFileSync('outlet.schema.json', JSON.stringify(configJsonSchema(), null, 2));
 */
export function configJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(configInputSchema, { io: 'input', target: 'draft-2020-12' }) as Record<string, unknown>;
}
