import { BUILTIN_OPTIONS_ENV } from '../config/expand-builtins.js';
import { BUILTINS } from '../config/builtins/index.js';
import { BUILTIN_SERVERS } from '../builtins/registry.js';
import { serveOverStdio } from '../builtins/serve.js';
import { OutletError } from '../errors/index.js';

/**
 * `outlet builtin <name>`: serves one built-in tool server over stdio, with the options the config
 * put in OUTLET_BUILTIN_OPTIONS (checked when the config was parsed). The gateway starts it like
 * any stdio server, inside the sandbox its options call for.
 */
export async function builtinCommand(name: string): Promise<void> {
  const load = BUILTIN_SERVERS[name];
  if (!BUILTINS[name] || !load) {
    throw new OutletError('INVALID_PARAMS', `no built-in named "${name}"; built-ins: ${Object.keys(BUILTINS).join(', ')}`);
  }
  let options: Record<string, unknown>;
  try {
    options = JSON.parse(process.env[BUILTIN_OPTIONS_ENV] ?? '{}') as Record<string, unknown>;
  } catch (err) {
    throw new OutletError('INVALID_PARAMS', `${BUILTIN_OPTIONS_ENV}: not JSON (${(err as Error).message})`);
  }
  const create = await load();
  await serveOverStdio(await create(options));
}
