import { loadConfigFile, transientDefaultConfig, type OutletConfig, type TransientConfig } from '../config/index.js';

/** Prints what the parser ignored or changed in a config file, one `path: reason` line each, on stderr. */
export function printConfigWarnings(config: OutletConfig): void {
  for (const w of config.warnings ?? []) console.error(`outlet: warning: ${w.path}: ${w.message}`);
}

/**
 * The config of a CLI command: the file given (its warnings printed), or the embedded default
 * with a workspace that leaves nothing behind (see {@link transientDefaultConfig}).
 */
export async function loadCliConfig(path: string | undefined): Promise<TransientConfig> {
  if (path === undefined) return transientDefaultConfig();
  const config = await loadConfigFile(path);
  printConfigWarnings(config);
  return { config, dispose: () => undefined };
}
