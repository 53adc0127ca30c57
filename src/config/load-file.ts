import { readFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { configError } from './issues.js';
import { parseConfigText, type ConfigFormat } from './parse-text.js';
import type { OutletConfig } from './types.js';

/** `.yaml` and `.yml` are YAML; everything else (`.json`, `.jsonc`, no extension) is JSON. */
export function formatOfPath(path: string): ConfigFormat {
  const ext = extname(path).toLowerCase();
  return ext === '.yaml' || ext === '.yml' ? 'yaml' : 'json';
}

/**
 * Reads, parses and normalizes a config file. Relative `cwd` values resolve against the file's
 * directory and the result's `source` is the file's absolute path. A file that cannot be read is a
 * CONFIG_INVALID error whose path is the file.
 *
 * @example
 * const config = await loadConfigFile('outlet.yaml');
 * config.source; // '/home/me/project/outlet.yaml'
 */
export async function loadConfigFile(path: string, opts: { env?: NodeJS.ProcessEnv } = {}): Promise<OutletConfig> {
  const source = resolve(path);
  let text: string;
  try {
    text = await readFile(source, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'config file not found' : `cannot read config file (${code ?? (err as Error).message})`;
    throw configError([{ path: source, message: reason }], { source });
  }
  return parseConfigText(text, formatOfPath(source), { ...opts, source });
}
