import { OutletError } from '../errors/index.js';

/** One configuration problem: where it is (in the user's own key names) and what is wrong. */
export interface ConfigIssue {
  path: string;
  message: string;
}

/** A step in a path through the parsed config: an object key or an array index. */
export type PathSegment = string | number;

/** Keys that read unambiguously after a dot; anything else is quoted in brackets. */
const PLAIN_KEY = /^[A-Za-z0-9_$-]+$/;

/**
 * Renders a path the way a user would point at the value: dots for keys, brackets for indexes and
 * for keys that would be ambiguous after a dot. The empty path is the document itself.
 *
 * @example
 * formatPath(['servers', 'fs', 'args', 0]); // 'servers.fs.args[0]'
 * formatPath(['servers', 'my server']);     // 'servers["my server"]'
 */
export function formatPath(segments: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of segments) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (typeof seg === 'string' && PLAIN_KEY.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${JSON.stringify(String(seg))}]`;
  }
  return out === '' ? '(root)' : out;
}

/**
 * Builds the one error every config failure throws: code CONFIG_INVALID, a message with one
 * `"<path>: <reason>"` line per issue, and the issues themselves in `data.issues`.
 *
 * @example
 * throw configError([{ path: 'servers.fs.command', message: 'required' }]);
 */
export function configError(issues: readonly ConfigIssue[], extra?: Record<string, unknown>): OutletError {
  const message = issues.map((i) => `${i.path}: ${i.message}`).join('\n');
  return new OutletError('CONFIG_INVALID', message, { ...extra, issues: [...issues] });
}

/** Throws {@link configError} when `issues` is non-empty; a no-op otherwise. */
export function throwIfIssues(issues: readonly ConfigIssue[], extra?: Record<string, unknown>): void {
  if (issues.length > 0) throw configError(issues, extra);
}
