import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadConfigFile, parseConfigText, type OutletConfig } from '../config/index.js';
import { OutletError, isOutletError } from '../errors/index.js';

/** File names a config bundled with the function code may have, in the order they are tried. */
export const BUNDLED_CONFIG_NAMES = ['outlet.config.json', 'outlet.config.yaml', 'outlet.config.yml'] as const;

/** Where a serverless function finds its config: its environment, and the directory of its code. */
export interface ConfigLookup {
  env: Record<string, string | undefined>;
  /** Where a bundled config is looked for (and relative paths resolve): the code's root. */
  dir: string;
}

/** The process's own lookup: Lambda runs the code from LAMBDA_TASK_ROOT, other platforms from the working directory. */
export function processLookup(): ConfigLookup {
  return { env: process.env, dir: process.env.LAMBDA_TASK_ROOT ?? process.cwd() };
}

/**
 * Finds and parses the config of a serverless deployment, where there is no command line:
 *   1. OUTLET_CONFIG       the config itself, as JSON or YAML text
 *   2. OUTLET_CONFIG_FILE  a path to a config file (relative to the code's root)
 *   3. outlet.config.json / .yaml / .yml bundled in the code's root
 * An empty OUTLET_CONFIG counts as unset: a deployment template's empty parameter must not hide
 * the bundled file. Finding none is a CONFIG_INVALID error that names all three ways.
 */
export async function resolveServerlessConfig(lookup: ConfigLookup = processLookup()): Promise<OutletConfig> {
  const env = lookup.env as NodeJS.ProcessEnv;
  const inline = lookup.env.OUTLET_CONFIG;
  if (inline !== undefined && inline.trim() !== '') {
    // A text that opens like JSON gets the JSON parser, whose syntax errors are the clearer ones.
    const format = /^\s*[{[]/.test(inline) ? 'json' : 'yaml';
    return fromVariable('OUTLET_CONFIG', () => parseConfigText(inline, format, { env, baseDir: lookup.dir }));
  }
  const file = lookup.env.OUTLET_CONFIG_FILE;
  if (file !== undefined && file.trim() !== '') return loadConfigFile(resolve(lookup.dir, file), { env });
  for (const name of BUNDLED_CONFIG_NAMES) {
    const path = join(lookup.dir, name);
    if (existsSync(path)) return loadConfigFile(path, { env });
  }
  throw new OutletError(
    'CONFIG_INVALID',
    `no outlet config found: set OUTLET_CONFIG to the config as JSON or YAML text, or OUTLET_CONFIG_FILE to the path of a config file, or bundle ${BUNDLED_CONFIG_NAMES.join(' / ')} in ${lookup.dir}`,
  );
}

/** A config error from an environment variable says so: its line numbers are of the variable's text. */
function fromVariable(name: string, parse: () => OutletConfig): OutletConfig {
  try {
    return parse();
  } catch (err) {
    if (!isOutletError(err)) throw err;
    throw new OutletError(err.code, `${name}: ${err.message}`, err.data, { cause: err });
  }
}
