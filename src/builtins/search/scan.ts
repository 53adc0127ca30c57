import { lstatSync, readdirSync } from 'node:fs';
import { extname, join } from 'node:path';

/** What is indexed: text, Markdown, code and config by extension (PDF is not: no PDF text library is installed). */
const TEXT_EXTENSIONS = new Set(
  ('txt md markdown mdx rst adoc org tex csv tsv log json jsonc yaml yml toml ini cfg conf xml html htm css scss less svg ' +
    'js mjs cjs jsx ts mts cts tsx py rb go rs java kt kts scala c h cc cpp hpp cs swift m php pl lua r sql sh bash zsh fish ps1 ' +
    'vue svelte astro dart ex exs erl hs ml clj el vim graphql proto tf gradle makefile dockerfile').split(' '),
);
/** Folders never worth indexing: version control and installed dependencies. */
const SKIPPED_DIRS = new Set(['.git', '.hg', '.svn', 'node_modules', '.venv', '__pycache__']);
const BARE_NAMES = new Set(['makefile', 'dockerfile', 'readme', 'license', 'changelog']);

export interface ScannedFile {
  path: string;
  size: number;
  mtimeMs: number;
}

export interface Scan {
  files: ScannedFile[];
  tooBig: number;
  overCount: number;
}

export function isTextName(name: string): boolean {
  const ext = extname(name).slice(1).toLowerCase();
  return ext === '' ? BARE_NAMES.has(name.toLowerCase()) : TEXT_EXTENSIONS.has(ext);
}

/** The files under the roots worth indexing; links are skipped, never followed. */
export function scanRoots(roots: string[], maxFileBytes: number, maxFiles: number): Scan {
  const scan: Scan = { files: [], tooBig: 0, overCount: 0 };
  const stack = [...roots];
  while (stack.length > 0) {
    const dir = stack.pop()!;
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      continue; // removed or unreadable since it was listed
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name)) stack.push(path);
      } else if (entry.isFile() && isTextName(entry.name)) {
        let stat;
        try {
          stat = lstatSync(path);
        } catch {
          continue;
        }
        if (!stat.isFile()) continue;
        if (stat.size > maxFileBytes) scan.tooBig++;
        else if (scan.files.length >= maxFiles) scan.overCount++;
        else scan.files.push({ path, size: stat.size, mtimeMs: stat.mtimeMs });
      }
    }
  }
  return scan;
}
