import { resolve } from 'node:path';
import * as z from 'zod';
import { builtinSpec } from './builtin-spec.js';
import { outletPackageRoot } from './outlet-package.js';

/** `search`: full-text search (SQLite FTS5) over the text files under the roots, which it only reads. */
export const searchBuiltin = builtinSpec({
  name: 'search',
  description: 'Full-text search (SQLite FTS5, bm25 ranking, snippets) over the text, Markdown and code files under the configured roots, indexed at start and kept current by a periodic scan. Roots mounted read-only, the index in its own scratch; no network.',
  options: {
    roots: z.array(z.string().min(1)).min(1).describe('Folders to index (relative ones against the config file\'s folder). At least one.'),
    maxFileBytes: z.int().positive().default(1024 * 1024).describe('Files larger than this are not indexed, in bytes. Default: 1,048,576.'),
    maxFiles: z.int().positive().default(20_000).describe('Files indexed at most; the rest are counted as skipped. Default: 20,000.'),
    rescanSeconds: z.int().positive().default(10).describe('Seconds between two scans of the roots for added, changed (by mtime and size) and removed files. Default: 10.'),
    maxResults: z.int().positive().default(50).describe('Results a search returns at most. Default: 50.'),
  },
  resolve: (options, baseDir) => ({ ...options, roots: options.roots.map((root) => resolve(baseDir, root)) }),
  // Read-only roots; the index lives in the scratch (HOME, a tmpfs in the cage) and dies with the process.
  sandbox: (resolved) => ({
    network: 'none',
    autoMounts: false,
    mounts: [{ path: outletPackageRoot(), mode: 'ro' as const }, ...(resolved.roots as string[]).map((path) => ({ path, mode: 'ro' as const }))],
  }),
});
