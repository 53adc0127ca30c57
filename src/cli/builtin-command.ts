import { runBuiltin } from '../builtins/run-builtin.js';
import { OutletError } from '../errors/index.js';

/** `outlet builtin <name>` reached through the full CLI (bin/outlet.js takes a shorter way: see there). */
export async function builtinCommand(name: string): Promise<void> {
  try {
    await runBuiltin(name);
  } catch (err) {
    throw new OutletError('INVALID_PARAMS', (err as Error).message);
  }
}
