import type { BuiltinSpec } from './builtin-spec.js';
import { httpBuiltin } from './http.js';
import { notifyBuiltin } from './notify.js';
import { timeBuiltin } from './time.js';

/** Every built-in tool server, by the name a config entry's `builtin` key gives. */
export const BUILTINS: Readonly<Record<string, BuiltinSpec>> = Object.freeze({
  [timeBuiltin.name]: timeBuiltin as unknown as BuiltinSpec,
  [httpBuiltin.name]: httpBuiltin as unknown as BuiltinSpec,
  [notifyBuiltin.name]: notifyBuiltin as unknown as BuiltinSpec,
});

export type { BuiltinSpec } from './builtin-spec.js';
