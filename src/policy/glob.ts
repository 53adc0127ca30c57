import picomatch from 'picomatch';

/**
 * Glob matching for policies. Names (tools, prompts, principals, servers) use a flat glob: `*` is
 * any run of characters (slashes included, so a deny rule cannot be dodged by a name with a "/"),
 * `?` one character. Paths and URIs use picomatch's path globs (`**` crosses "/", `*` does not).
 * Matchers are compiled once per pattern list.
 */

const nameCache = new Map<string, RegExp>();
const pathCache = new Map<string, (s: string) => boolean>();

function nameRegex(pattern: string): RegExp {
  let re = nameCache.get(pattern);
  if (!re) {
    const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[\\s\\S]*').replace(/\?/g, '[\\s\\S]');
    re = new RegExp(`^${body}$`, 'u');
    nameCache.set(pattern, re);
  }
  return re;
}

/** `fs__read_*` against `fs__read_file`. */
export function matchName(patterns: readonly string[], value: string): boolean {
  for (const p of patterns) if (p === value || nameRegex(p).test(value)) return true;
  return false;
}

/** `/data/**` against `/data/a/b`, `file:///srv/*` against a URI. */
export function matchPath(patterns: readonly string[], value: string): boolean {
  const key = patterns.join('\u0000');
  let m = pathCache.get(key);
  if (!m) {
    m = picomatch([...patterns], { dot: true, nonegate: true });
    pathCache.set(key, m);
  }
  return m(value);
}

/**
 * True when a path or URI steps out of where it appears to point: a ".." segment, raw or
 * percent-encoded (once or twice), with "/" or "\" as separator.
 */
export function hasDotSegments(value: string): boolean {
  let text = value;
  for (let i = 0; i < 2 && /%[0-9a-f]{2}/i.test(text); i++) {
    try {
      text = decodeURIComponent(text);
    } catch {
      break;
    }
  }
  return /(^|[\\/])\.\.([\\/]|$)/.test(text) || /(^|[\\/])\.\.([\\/]|$)/.test(value);
}
