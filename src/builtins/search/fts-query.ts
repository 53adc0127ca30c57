/**
 * A caller's words as an FTS5 query that means only those words: each word (letters, digits and
 * underscores, as the unicode61 tokenizer splits them) becomes a quoted string, so `"`, `*`, `:`,
 * `^`, `NEAR`, `AND`/`OR`/`NOT`, parentheses and column filters are plain text, never syntax. Words
 * are ANDed; `anyWord` ORs them. Null when the query holds no word at all.
 *
 * @example
 * plainQuery('path:secret NEAR("a" b)*'); // '"path" "secret" "NEAR" "a" "b"'
 */
export function plainQuery(query: string, anyWord = false): string | null {
  const words = query.match(/[\p{L}\p{N}_]+/gu) ?? [];
  if (words.length === 0) return null;
  return words.slice(0, 64).map((w) => `"${w}"`).join(anyWord ? ' OR ' : ' ');
}

/** The SQLite error of a raw FTS5 query, as a message that says what to do. */
export function ftsSyntaxError(err: unknown, query: string): Error {
  const message = (err as Error).message;
  return new Error(`query: ${JSON.stringify(query)} is not a valid FTS5 query (${message}); leave syntax at "plain" to search for the words as written`, { cause: err });
}
