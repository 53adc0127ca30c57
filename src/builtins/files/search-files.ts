import { opendirSync } from 'node:fs';
import * as z from 'zod';
import { defineTool, type ToolDefinition } from '../define.js';
import type { Confined, Roots } from './confine.js';
import type { FilesOptions } from './files-options.js';
import { globToRegExp } from './glob.js';
import { openDir } from './open-at.js';
import { decode, readBytes } from './read-file.js';
import { RegexMatcher, type LineHit } from './regex-worker.js';

const REGEX_BUDGET_MS = 5000;

interface Found {
  path: string;
  type: string;
  line?: number;
  text?: string;
}

/** Every entry below `start` (links listed, never followed), breadth first, at most `limit` looked at. */
function walk(start: Confined, limit: number): { entries: { target: Confined; relative: string; type: string }[]; stopped: boolean } {
  const entries: { target: Confined; relative: string; type: string }[] = [];
  const queue: string[][] = [start.names];
  let seen = 0;
  while (queue.length > 0) {
    const names = queue.shift()!;
    let dir;
    try {
      dir = openDir({ root: start.root, names }, 'path');
    } catch {
      continue; // replaced by a link or removed since it was listed: skipped, never followed
    }
    try {
      const reader = opendirSync(dir.at('.'));
      try {
        for (let e = reader.readSync(); e; e = reader.readSync()) {
          if (++seen > limit) return { entries, stopped: true };
          const childNames = [...names, e.name];
          const type = e.isFile() ? 'file' : e.isDirectory() ? 'directory' : e.isSymbolicLink() ? 'symlink' : 'other';
          const path = `${start.root === '/' ? '' : start.root}/${childNames.join('/')}`;
          entries.push({ target: { root: start.root, names: childNames, path }, relative: childNames.slice(start.names.length).join('/'), type });
          if (type === 'directory') queue.push(childNames);
        }
      } finally {
        reader.closeSync();
      }
    } finally {
      dir.close();
    }
  }
  return { entries, stopped: false };
}

export function searchFilesTool(roots: Roots, options: FilesOptions): ToolDefinition {
  return defineTool({
    name: 'search_files',
    description: `Finds files and folders under a folder of the roots whose names match a glob ("*.md", "src/**/*.ts"), and, with content, only files holding that text (a substring, or a regular expression with regex: true; the first matching line is shown). At most ${options.maxSearchResults} results; links are listed, never followed.`,
    input: z.object({
      pattern: z.string().min(1).describe('Glob: * ? ** {a,b} [abc]; without "/" it matches names at any depth'),
      path: z.string().optional().describe('Folder to search: absolute, or relative to the first root (default: the first root)'),
      content: z.string().min(1).max(1000).optional().describe('Only files containing this text (files over maxReadBytes and binary files are skipped)'),
      regex: z.boolean().optional().describe('content is a regular expression (JavaScript syntax), run with a 5 s budget'),
      caseSensitive: z.boolean().optional().describe('Default false'),
      maxResults: z.int().positive().optional().describe(`Default and cap: ${options.maxSearchResults}`),
    }),
    output: z.object({ results: z.array(z.object({ path: z.string(), type: z.string(), line: z.number().optional(), text: z.string().optional() })), truncated: z.boolean(), note: z.string().optional() }),
    annotations: { readOnlyHint: true, openWorldHint: false },
    run: async ({ pattern, path, content, regex, caseSensitive, maxResults }) => {
      const start = roots.locate(path ?? roots.list[0]!, 'path');
      openDir(start, 'path').close(); // the folder searched must itself be reachable without a link
      const { regex: glob, byName } = globToRegExp(pattern);
      const nameMatch = caseSensitive ? glob : new RegExp(glob.source, 'iu');
      const limit = Math.min(maxResults ?? options.maxSearchResults, options.maxSearchResults);
      const { entries, stopped } = walk(start, options.maxSearchFiles);
      const named = entries.filter((e) => nameMatch.test(byName ? e.target.names.at(-1)! : e.relative));
      const results: Found[] = [];
      if (content === undefined) {
        for (const e of named.slice(0, limit)) results.push({ path: e.target.path, type: e.type });
      } else {
        const matcher = regex ? new RegexMatcher(content, !caseSensitive, REGEX_BUDGET_MS) : undefined;
        const deadline = Date.now() + REGEX_BUDGET_MS;
        const needle = caseSensitive ? content : content.toLowerCase();
        try {
          for (const e of named) {
            if (results.length >= limit || e.type !== 'file') continue;
            let text: string;
            try {
              const { bytes } = readBytes(e.target, options.maxReadBytes);
              const decoded = decode(bytes);
              if (decoded.encoding !== 'utf-8') continue;
              text = decoded.text;
            } catch {
              continue; // over the cap, unreadable, or a link by now
            }
            let hit: LineHit;
            if (matcher) hit = (await matcher.match([text], deadline))[0] ?? null;
            else {
              const lines = text.split('\n');
              const at = lines.findIndex((l) => (caseSensitive ? l : l.toLowerCase()).includes(needle));
              hit = at < 0 ? null : { line: at + 1, text: lines[at]!.slice(0, 300) };
            }
            if (hit) results.push({ path: e.target.path, type: 'file', ...hit });
          }
        } finally {
          matcher?.close();
        }
      }
      const truncated = stopped || results.length >= limit;
      const note = stopped
        ? `stopped after looking at ${options.maxSearchFiles} entries (maxSearchFiles): narrow path or pattern`
        : results.length >= limit ? `${limit} results shown (the cap); there may be more` : undefined;
      return { results, truncated, ...(note ? { note } : {}) };
    },
  });
}
