import { formatPath, type ConfigIssue, type PathSegment } from './issues.js';

/** Result of {@link interpolateEnv}: the new tree, what went wrong, and where whole values came from env. */
export interface InterpolationResult {
  value: unknown;
  issues: ConfigIssue[];
  /** Paths of strings that were exactly one `${...}` reference (candidates for number/boolean fields). */
  wholeReferences: PathSegment[][];
}

const NAME = /^([A-Za-z_][A-Za-z0-9_]*)(?::-([\s\S]*))?$/;

/** Escapes `${` as `$${`, so a value substituted before the `${VAR}` pass (a client variable, an env file's line) stays literal through it. */
export function escapeInterpolation(value: string): string {
  return value.replaceAll('${', '$${');
}

/**
 * Expands `${VAR}` and `${VAR:-default}` in one string. As in the shell, the default also applies
 * when the variable is set but empty. `$${` yields a literal `${` so values can contain the syntax.
 * Returns the issue text instead of a string when a reference cannot be resolved.
 */
export function interpolateString(input: string, env: NodeJS.ProcessEnv): { value: string } | { error: string } {
  let out = '';
  let i = 0;
  while (i < input.length) {
    if (input.startsWith('$${', i)) {
      out += '${';
      i += 3;
    } else if (input.startsWith('${', i)) {
      const close = input.indexOf('}', i + 2);
      if (close < 0) return { error: `unclosed "\${" at character ${i + 1}` };
      const body = input.slice(i + 2, close);
      const match = NAME.exec(body);
      if (match === null) return { error: `invalid reference "\${${body}}": expected \${NAME} or \${NAME:-default}` };
      const [, name = '', fallback] = match;
      const found = env[name];
      if (found !== undefined && (found !== '' || fallback === undefined)) out += found;
      else if (fallback !== undefined) out += fallback;
      else return { error: `environment variable "${name}" is not set (write \${${name}:-default} to give a default)` };
      i = close + 1;
    } else {
      out += input[i];
      i += 1;
    }
  }
  return { value: out };
}

/**
 * Applies {@link interpolateString} to every string value (never to keys) of a parsed config
 * tree, returning a copy. Problems are collected with their path rather than thrown one at a time.
 *
 * @example
 * interpolateEnv({ headers: { A: 'Bearer ${TOKEN}' } }, { TOKEN: 't' }).value; // { headers: { A: 'Bearer t' } }
 */
export function interpolateEnv(raw: unknown, env: NodeJS.ProcessEnv): InterpolationResult {
  const issues: ConfigIssue[] = [];
  const wholeReferences: PathSegment[][] = [];

  const visit = (node: unknown, path: PathSegment[]): unknown => {
    if (typeof node === 'string') {
      const result = interpolateString(node, env);
      if ('error' in result) {
        issues.push({ path: formatPath(path), message: result.error });
        return node;
      }
      if (/^\$\{[^}]*\}$/.test(node)) wholeReferences.push(path);
      return result.value;
    }
    if (Array.isArray(node)) return node.map((item, index) => visit(item, [...path, index]));
    if (node !== null && typeof node === 'object') {
      const copy: Record<string, unknown> = {};
      for (const [key, child] of Object.entries(node)) {
        // defineProperty, not assignment: a "__proto__" key must stay a key (and be rejected later).
        Object.defineProperty(copy, key, { value: visit(child, [...path, key]), enumerable: true, writable: true, configurable: true });
      }
      return copy;
    }
    return node;
  };

  return { value: visit(raw, []), issues, wholeReferences };
}
