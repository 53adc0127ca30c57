import { closeSync, openSync, readFileSync, readSync, realpathSync } from 'node:fs';
import { join } from 'node:path';

/** What a fetched package's server is started as. */
export interface BinLaunch {
  command: string;
  args: string[];
}

/**
 * The binary to run from an install, chosen as npx chooses: the one named, else the package's only
 * binary, else the one named after the package. A JavaScript binary runs on the Node that runs the
 * gateway (its shebang would look `node` up on the cage's PATH); any other runs as itself.
 */
export function binLaunch(dir: string, packageName: string, named: string | undefined, args: string[]): BinLaunch {
  const bin = named ?? defaultBin(dir, packageName);
  let file: string;
  try {
    file = realpathSync(join(dir, 'node_modules', '.bin', bin));
  } catch {
    throw new Error(`the installed packages have no binary "${bin}"`);
  }
  return isNodeScript(file) ? { command: process.execPath, args: [file, ...args] } : { command: file, args };
}

function defaultBin(dir: string, packageName: string): string {
  const manifest = JSON.parse(readFileSync(join(dir, 'node_modules', packageName, 'package.json'), 'utf8')) as { bin?: string | Record<string, string> };
  const unscoped = packageName.slice(packageName.lastIndexOf('/') + 1);
  if (typeof manifest.bin === 'string') return unscoped;
  const names = Object.keys(manifest.bin ?? {});
  if (names.length === 1) return names[0]!;
  if (names.includes(unscoped)) return unscoped;
  if (names.length === 0) throw new Error(`package "${packageName}" has no binary to run`);
  throw new Error(`package "${packageName}" has several binaries (${names.join(', ')}); name one: npx -p ${packageName} <binary>`);
}

/** A `.js`/`.mjs`/`.cjs` file, or a shebang that runs node. */
function isNodeScript(file: string): boolean {
  if (/\.[cm]?js$/.test(file)) return true;
  const fd = openSync(file, 'r');
  try {
    const head = Buffer.alloc(128);
    const n = readSync(fd, head, 0, head.length, 0);
    const first = head.subarray(0, n).toString('utf8').split('\n')[0] ?? '';
    return first.startsWith('#!') && /\bnode\b/.test(first);
  } finally {
    closeSync(fd);
  }
}
