import { createRequire } from 'node:module';

/**
 * The package's own version, read from its package.json (two levels up from both src/cli and
 * dist/cli), so `--version` and the CLI's client name never drift from what was installed.
 */
export const PACKAGE_VERSION: string = (createRequire(import.meta.url)('../../package.json') as { version: string }).version;
