import { matchPath } from '../glob.js';

/**
 * Resource policies are globs over URIs ("note://secret/**"); a resource template
 * ("note://secret/{id}", RFC 6570) stands for many URIs at once. A template is compared with a
 * glob through its literal prefix, the text before its first expression ("note://secret/"):
 *
 * - "may match" (allow rules): some URI the template expands to could match the glob, i.e. the
 *   template's prefix and the glob's literal part do not contradict each other (one starts with
 *   the other). Showing a template a principal can only partly use is harmless: every read is
 *   still decided on its concrete URI.
 * - "always matches" (deny rules): every expansion matches, i.e. the glob is "<literal>/**" and
 *   the prefix lies under that literal, or "<literal>/*" and the rest of the template is one simple
 *   expression (which percent-encodes "/", so it stays in one segment). Only then is the template
 *   hidden by a deny rule; a broad template with a denied corner stays listed (its denied URIs are
 *   refused on read), as a tool with a conditional deny stays listed.
 *
 * A template without expressions is a plain URI and is matched as one.
 */

/** The text before the first "{", or the whole template when it has none. */
export function templatePrefix(template: string): string {
  const at = template.indexOf('{');
  return at === -1 ? template : template.slice(0, at);
}

/** The part of a glob before its first special character (picomatch's *, ?, [...], {...}, (...), extglobs). */
function globLiteral(glob: string): string {
  const at = glob.search(/[*?[{(\\]|[!+@](?=\()/);
  return at === -1 ? glob : glob.slice(0, at);
}

const isExpanded = (template: string) => template.includes('{');

/** Could some expansion of `template` match one of `globs`? */
export function templateMayMatch(globs: readonly string[], template: string): boolean {
  if (!isExpanded(template)) return matchPath(globs, template);
  const prefix = templatePrefix(template);
  return globs.some((glob) => {
    const literal = globLiteral(glob);
    // A glob without special characters is one URI: the template must be able to produce it.
    if (literal === glob) return glob.startsWith(prefix);
    return literal.startsWith(prefix) || prefix.startsWith(literal);
  });
}

/** Does every expansion of `template` match one of `globs`? */
export function templateAlwaysMatches(globs: readonly string[], template: string): boolean {
  if (!isExpanded(template)) return matchPath(globs, template);
  const prefix = templatePrefix(template);
  const rest = template.slice(prefix.length);
  const oneSimpleExpression = /^\{[A-Za-z0-9_.%,]+\}$/.test(rest);
  return globs.some((glob) => {
    const literal = globLiteral(glob);
    if (literal !== '' && !literal.endsWith('/')) return false;
    const wildcard = glob.slice(literal.length);
    if (wildcard === '**') return prefix.startsWith(literal);
    if (wildcard === '*') return prefix === literal && oneSimpleExpression;
    return false;
  });
}
