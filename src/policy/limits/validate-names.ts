import { hasDotSegments } from '../glob.js';
import { OutletError } from '../../errors/index.js';
import type { Middleware } from '../call-context.js';

// Control characters (C0, DEL, C1) and bidi overrides have no place in a tool, prompt or URI name:
// they are how names are made to look like other names in a client's UI. So are the invisible
// ones: zero-width spaces and joiners, direction marks, word joiners, line and paragraph
// separators, the byte-order mark and the tag characters (invisible ASCII look-alikes).
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE_NAME = /[\u0000-\u001f\u007f-\u009f\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\u{e0000}-\u{e007f}]/u;

/** A surrogate half without its other half: not text, and a way to break naive comparisons. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Longest tool or prompt name looked at (MCP recommends at most 128 characters). */
const MAX_NAME_LENGTH = 512;

function invalidName(name: string): string | undefined {
  if (name.length === 0) return 'is empty';
  if (name.length > MAX_NAME_LENGTH) return `is longer than ${MAX_NAME_LENGTH} characters`;
  if (LONE_SURROGATE.test(name)) return 'is not well-formed Unicode (lone surrogate)';
  if (UNSAFE_NAME.test(name)) return 'contains control, invisible or bidirectional-override characters';
  // Full-width letters, ligatures and other compatibility forms imitate plain names.
  if (name.normalize('NFKC') !== name) return 'is not in Unicode normal form NFKC (look-alike characters)';
  if (hasDotSegments(name)) return 'contains a ".." path segment';
  return undefined;
}

/**
 * Request validation that the SDK's own schema check does not cover: the SDK already checked the
 * message shape before our handler ran (so it is not re-validated here, per the hot-path rule),
 * this policy checks the names the router is about to trust: no control, invisible or bidi
 * characters, no look-alike compatibility forms, no path traversal.
 */
export const validateRequest: Middleware = (ctx, next) => {
  const name = ctx.toolName ?? ctx.promptName;
  if (name !== undefined) {
    const problem = invalidName(name);
    if (problem) throw new OutletError('INVALID_PARAMS', `params.name: invalid name ${JSON.stringify(name.slice(0, 128))}: it ${problem}`, { path: 'params.name' });
  }
  const uri = ctx.resourceUri;
  if (uri !== undefined) {
    const problem =
      uri.length === 0
        ? 'is empty'
        : LONE_SURROGATE.test(uri)
          ? 'is not well-formed Unicode'
          : UNSAFE_NAME.test(uri)
            ? 'contains control, invisible or bidirectional-override characters'
            : hasDotSegments(uri)
              ? 'contains a ".." path segment (path traversal)'
              : undefined;
    if (problem) throw new OutletError('INVALID_PARAMS', `params.uri: invalid URI ${JSON.stringify(uri.slice(0, 256))}: it ${problem}`, { path: 'params.uri' });
  }
  return next();
};
