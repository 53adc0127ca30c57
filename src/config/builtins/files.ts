import { resolve } from 'node:path';
import * as z from 'zod';
import { builtinSpec } from './builtin-spec.js';
import { outletPackageRoot } from './outlet-package.js';

const MIB = 1024 * 1024;
const cap = (fallback: number, what: string) => z.int().positive().default(fallback).describe(`${what} Default: ${fallback.toLocaleString('en-US')}.`);

/** `files`: read (and, when asked, write) files under the configured roots, and nowhere else. */
export const filesBuiltin = builtinSpec({
  name: 'files',
  description: 'Reads, lists and searches files under the configured roots; writes, moves and deletes there too when readOnly is false. Only the roots are mounted in its cage (read-only unless readOnly is false); no network.',
  options: {
    roots: z.array(z.string().min(1)).min(1).describe('Folders the tools may touch (relative ones against the config file\'s folder). At least one.'),
    readOnly: z.boolean().default(true).describe('true (default): only the read tools are offered and the roots are mounted read-only. false: write_file, move_file and delete_file too, roots mounted read-write.'),
    maxReadBytes: cap(MIB, 'Largest read (read_file), in bytes.'),
    maxWriteBytes: cap(MIB, 'Largest write (write_file), in bytes.'),
    maxListEntries: cap(1000, 'Entries list_directory returns at most.'),
    maxSearchResults: cap(200, 'Matches search_files returns at most.'),
    maxSearchFiles: cap(20_000, 'Files and folders search_files looks at, at most, before it stops.'),
  },
  resolve: (options, baseDir) => ({ ...options, roots: options.roots.map((root) => resolve(baseDir, root)) }),
  sandbox: (resolved) => {
    const mode = resolved.readOnly === false ? 'rw' : 'ro';
    // autoMounts off: the cwd (the config's folder) is not the tool's business; the package is bound by hand.
    return {
      network: 'none',
      autoMounts: false,
      mounts: [{ path: outletPackageRoot(), mode: 'ro' as const }, ...(resolved.roots as string[]).map((path) => ({ path, mode: mode as 'ro' | 'rw' }))],
    };
  },
});
