import type { BuiltinSpec } from './builtin-spec.js';
import { gitBuiltin } from './git.js';
import { shellBuiltin } from './shell.js';
import { timeBuiltin } from './time.js';

/** Every built-in tool server, by the name a config entry's `builtin` key gives. */
export const BUILTINS: Readonly<Record<string, BuiltinSpec>> = Object.freeze({
  [gitBuiltin.name]: gitBuiltin as unknown as BuiltinSpec,
  [shellBuiltin.name]: shellBuiltin as unknown as BuiltinSpec,
  [timeBuiltin.name]: timeBuiltin as unknown as BuiltinSpec,
});

export type { BuiltinSpec } from './builtin-spec.js';
