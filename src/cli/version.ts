import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The package's own version, read from the nearest package.json above this file (two levels up
 * from src/cli and dist/cli, further from a build placed elsewhere, such as the benchmark's), so
 * `--version` and the CLI's client name never drift from what was installed.
 */
export const PACKAGE_VERSION: string = readOwnVersion(dirname(fileURLToPath(import.meta.url)));

function readOwnVersion(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    try {
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown; version?: unknown };
      if (manifest.name === 'mcp-outlet' && typeof manifest.version === 'string') return manifest.version;
    } catch {
      // No package.json here (or not ours): keep looking upward.
    }
    if (dirname(dir) === dir) throw new Error(`mcp-outlet's package.json not found in ${from} or above it`);
  }
}
