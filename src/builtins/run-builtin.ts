import { BUILTIN_SERVERS } from './registry.js';
import { serveOverStdio } from './serve.js';

/** The environment variable a built-in's process reads its options from (JSON); the config puts them there. */
export const BUILTIN_OPTIONS_ENV = 'OUTLET_BUILTIN_OPTIONS';

/**
 * Serves one built-in over stdio with the options in OUTLET_BUILTIN_OPTIONS (checked when the
 * config was parsed). The entry of `outlet builtin <name>`, kept apart from the rest of the CLI so a
 * built-in's process loads only its own server: it starts with every restart and every instance.
 */
export async function runBuiltin(name: string): Promise<void> {
  const load = BUILTIN_SERVERS[name];
  if (!load) throw new Error(`no built-in named "${name}"; built-ins: ${Object.keys(BUILTIN_SERVERS).join(', ')}`);
  let options: Record<string, unknown>;
  try {
    options = JSON.parse(process.env[BUILTIN_OPTIONS_ENV] ?? '{}') as Record<string, unknown>;
  } catch (err) {
    throw new Error(`${BUILTIN_OPTIONS_ENV}: not JSON (${(err as Error).message})`, { cause: err });
  }
  const create = await load();
  await serveOverStdio(await create(options));
}
