/** Statements a read starts with; anything else is refused by `query` before the database sees it. */
const READ_VERBS = new Set(['select', 'with', 'values', 'table', 'show', 'explain']);

/**
 * Our own check for PostgreSQL's `query`: the first keyword, past comments, is a read verb. Only
 * a second wall: a `WITH` may hide a data-modifying statement and a SELECT may call a function
 * that writes, which the read-only transaction refuses (the first wall).
 */
export function startsLikeRead(sql: string): boolean {
  let rest = sql;
  for (;;) {
    const trimmed = rest.trimStart();
    if (trimmed.startsWith('--')) rest = trimmed.slice(trimmed.indexOf('\n') === -1 ? trimmed.length : trimmed.indexOf('\n'));
    else if (trimmed.startsWith('/*')) rest = trimmed.slice(trimmed.indexOf('*/') === -1 ? trimmed.length : trimmed.indexOf('*/') + 2);
    else {
      rest = trimmed;
      break;
    }
  }
  const verb = /^\(*\s*([a-z]+)/i.exec(rest)?.[1]?.toLowerCase();
  return verb !== undefined && READ_VERBS.has(verb);
}
