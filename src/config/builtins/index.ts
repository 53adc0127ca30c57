import type { BuiltinSpec } from './builtin-spec.js';
import { databaseBuiltin } from './database.js';
import { filesBuiltin } from './files.js';
import { gitBuiltin } from './git.js';
import { httpBuiltin } from './http.js';
import { notifyBuiltin } from './notify.js';
import { pythonBuiltin } from './python.js';
import { searchBuiltin } from './search.js';
import { shellBuiltin } from './shell.js';
import { systemBuiltin } from './system.js';
import { timeBuiltin } from './time.js';

/** Every built-in tool server, by the name a config entry's `builtin` key gives. */
export const BUILTINS: Readonly<Record<string, BuiltinSpec>> = Object.freeze({
  [databaseBuiltin.name]: databaseBuiltin as unknown as BuiltinSpec,
  [filesBuiltin.name]: filesBuiltin as unknown as BuiltinSpec,
  [gitBuiltin.name]: gitBuiltin as unknown as BuiltinSpec,
  [httpBuiltin.name]: httpBuiltin as unknown as BuiltinSpec,
  [notifyBuiltin.name]: notifyBuiltin as unknown as BuiltinSpec,
  [pythonBuiltin.name]: pythonBuiltin as unknown as BuiltinSpec,
  [searchBuiltin.name]: searchBuiltin as unknown as BuiltinSpec,
  [shellBuiltin.name]: shellBuiltin as unknown as BuiltinSpec,
  [systemBuiltin.name]: systemBuiltin as unknown as BuiltinSpec,
  [timeBuiltin.name]: timeBuiltin as unknown as BuiltinSpec,
});

export type { BuiltinSpec } from './builtin-spec.js';
