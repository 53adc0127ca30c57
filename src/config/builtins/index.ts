import type { BuiltinSpec } from './builtin-spec.js';
import { databaseBuiltin } from './database.js';
import { timeBuiltin } from './time.js';

/** Every built-in tool server, by the name a config entry's `builtin` key gives. */
export const BUILTINS: Readonly<Record<string, BuiltinSpec>> = Object.freeze({
  [timeBuiltin.name]: timeBuiltin as unknown as BuiltinSpec,
  [databaseBuiltin.name]: databaseBuiltin as unknown as BuiltinSpec,
});

export type { BuiltinSpec } from './builtin-spec.js';
