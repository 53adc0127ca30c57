import * as z from 'zod';
import { defineServer, defineTool, type ServerDefinition } from '../define.js';
import { ftsSyntaxError, plainQuery } from './fts-query.js';
import { SearchIndex } from './search-index.js';
import { searchOptions } from './search-options.js';

const hit = z.object({ path: z.string(), snippet: z.string(), score: z.number() });

/**
 * The `search` built-in: an FTS5 index of the roots' text files, built at start and kept current by
 * a periodic scan (mtime and size; fs.watch is not used: recursive watching on Linux is per-folder
 * inotify, costly on big trees and silent when the limit is reached).
 */
export function searchServer(raw: Record<string, unknown>): ServerDefinition {
  const options = searchOptions(raw);
  const index = new SearchIndex(options);
  index.sync();
  setInterval(() => {
    try {
      index.sync();
    } catch (err) {
      console.error(`search: rescan failed: ${(err as Error).message}`);
    }
  }, options.rescanSeconds * 1000).unref();

  const select = index.db.prepare(
    `SELECT path, snippet(docs, 1, '«', '»', '…', 16) AS snippet, -bm25(docs, 4.0, 1.0) AS score FROM docs WHERE docs MATCH ? ORDER BY bm25(docs, 4.0, 1.0) LIMIT ?`,
  );

  return defineServer({
    name: 'outlet-search',
    instructions: `Full-text search over the text files under ${options.roots.join(', ')}.`,
    tools: [
      defineTool({
        name: 'search',
        description: `Full-text search of the text, Markdown and code files under ${options.roots.join(', ')}: results ranked by relevance (bm25), each with its path, a snippet with the matches in «», and a score (higher is better). Plain words by default (all must occur); syntax "fts5" takes SQLite FTS5 query syntax (phrases, OR, NEAR, prefix*).`,
        input: z.object({
          query: z.string().min(1).max(1000).describe('Words to find'),
          limit: z.int().positive().optional().describe(`Results at most (default 10, cap ${options.maxResults})`),
          syntax: z.enum(['plain', 'fts5']).optional().describe('"plain" (default): the words as written; "fts5": FTS5 query syntax'),
          anyWord: z.boolean().optional().describe('plain syntax: any of the words instead of all of them'),
        }),
        output: z.object({ results: z.array(hit), query: z.string() }),
        annotations: { readOnlyHint: true, openWorldHint: false },
        run: ({ query, limit, syntax, anyWord }) => {
          const match = syntax === 'fts5' ? query : plainQuery(query, anyWord === true);
          if (match === null) throw new Error(`query: ${JSON.stringify(query)} holds no word to search for`);
          const cap = Math.min(limit ?? 10, options.maxResults);
          try {
            return { results: select.all(match, cap) as z.output<typeof hit>[], query: match };
          } catch (err) {
            throw ftsSyntaxError(err, query);
          }
        },
      }),
      defineTool({
        name: 'index_status',
        description: 'How many files are indexed, what was skipped (over the size cap, binary, over maxFiles), when the index was last brought up to date, its size in bytes.',
        input: z.object({}),
        output: z.object({ files: z.number(), skippedTooBig: z.number(), skippedBinary: z.number(), skippedOverMaxFiles: z.number(), lastUpdate: z.string().nullable(), indexBytes: z.number(), roots: z.array(z.string()), rescanSeconds: z.number() }),
        annotations: { readOnlyHint: true, openWorldHint: false },
        run: () => ({ ...index.status(), roots: options.roots, rescanSeconds: options.rescanSeconds }),
      }),
      defineTool({
        name: 'reindex',
        description: 'Rebuilds the index now from every file under the roots (changes are otherwise picked up by the periodic scan). Touches only the index, never the files.',
        input: z.object({}),
        output: z.object({ added: z.number(), updated: z.number(), removed: z.number(), files: z.number() }),
        annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
        run: () => ({ ...index.rebuild(), files: index.status().files }),
      }),
    ],
  });
}
