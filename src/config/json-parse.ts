import { formatPath, type ConfigIssue, type PathSegment } from './issues.js';
import { textPosition as where } from './text-position.js';

/** Deeper nesting than any real config; the limit keeps hostile input from exhausting the stack. */
const MAX_DEPTH = 256;

class JsonSyntaxError extends Error {
  constructor(readonly offset: number, message: string) {
    super(message);
  }
}

/** A JSON number starting exactly at `lastIndex` (sticky). */
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

/**
 * Parses JSON while keeping what `JSON.parse` throws away: the line and column of a syntax error,
 * and keys written twice in one object (JSON.parse silently keeps the last one). `//` and `/* *\/`
 * comments are accepted, as in VS Code's JSONC config files.
 *
 * @example
 * parseJson('{ "a": 1 }'); // { value: { a: 1 }, issues: [] }
 * parseJson('{ "a": 1, "a": 2 }').issues;
 * // [{ path: 'a', message: 'duplicate key at line 1, column 11 (first at line 1, column 3)' }]
 */
export function parseJson(text: string): { value: unknown; issues: ConfigIssue[] } {
  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const duplicates: ConfigIssue[] = [];
  const fail = (message: string, at = pos): never => {
    throw new JsonSyntaxError(at, message);
  };
  /** Moves past the closing bracket just checked and hands back the finished container. */
  const step = <T>(container: T): T => {
    pos += 1;
    return container;
  };
  const describe = (at: number): string => (at >= text.length ? 'end of input' : JSON.stringify(text[at]));

  const skipSpace = (): void => {
    for (;;) {
      while (pos < text.length && ' \t\n\r'.includes(text[pos] as string)) pos += 1;
      if (text.startsWith('//', pos)) {
        const end = text.indexOf('\n', pos);
        pos = end < 0 ? text.length : end;
      } else if (text.startsWith('/*', pos)) {
        const end = text.indexOf('*/', pos + 2);
        if (end < 0) fail('unclosed comment');
        pos = end + 2;
      } else return;
    }
  };

  const parseString = (): string => {
    const start = pos;
    pos += 1;
    let out = '';
    for (;;) {
      if (pos >= text.length) fail('unclosed string', start);
      const ch = text[pos] as string;
      if (ch === '"') break;
      if (ch < ' ') fail('control character in string (escape it, e.g. \\n)');
      if (ch === '\\') {
        const esc = text[pos + 1] ?? '';
        if (esc === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(pos + 2, pos + 6))) {
          out += String.fromCharCode(parseInt(text.slice(pos + 2, pos + 6), 16));
          pos += 6;
          continue;
        }
        const decoded = ESCAPES[esc];
        if (decoded === undefined) fail(`invalid escape "\\${esc}"`);
        out += decoded;
        pos += 2;
        continue;
      }
      out += ch;
      pos += 1;
    }
    pos += 1;
    return out;
  };

  const parseValue = (path: PathSegment[]): unknown => {
    if (path.length > MAX_DEPTH) fail(`nested more than ${MAX_DEPTH} levels deep`);
    skipSpace();
    const ch = text[pos];
    if (ch === '"') return parseString();
    if (ch === '{') return parseObject(path);
    if (ch === '[') return parseArray(path);
    NUMBER.lastIndex = pos;
    const number = NUMBER.exec(text);
    if (number !== null) {
      pos += number[0].length;
      return Number(number[0]);
    }
    for (const [word, value] of [['true', true], ['false', false], ['null', null]] as const) {
      if (text.startsWith(word, pos)) {
        pos += word.length;
        return value;
      }
    }
    return fail(`unexpected ${describe(pos)}, expected a value`);
  };

  const parseObject = (path: PathSegment[]): Record<string, unknown> => {
    const obj: Record<string, unknown> = {};
    const seenAt = new Map<string, number>();
    pos += 1;
    skipSpace();
    if (text[pos] === '}') return step(obj);
    for (;;) {
      skipSpace();
      if (text[pos] !== '"') fail(text[pos] === '}' ? 'trailing comma before "}"' : `unexpected ${describe(pos)}, expected a property name in double quotes`);
      const keyAt = pos;
      const key = parseString();
      skipSpace();
      if (text[pos] !== ':') fail(`unexpected ${describe(pos)}, expected ":"`);
      pos += 1;
      const value = parseValue([...path, key]);
      const first = seenAt.get(key);
      if (first !== undefined) duplicates.push({ path: formatPath([...path, key]), message: `duplicate key at ${where(text, keyAt)} (first at ${where(text, first)})` });
      else seenAt.set(key, keyAt);
      // defineProperty keeps a "__proto__" key an ordinary key instead of replacing the prototype.
      Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
      skipSpace();
      if (text[pos] === ',') pos += 1;
      else if (text[pos] === '}') return step(obj);
      else fail(`unexpected ${describe(pos)}, expected "," or "}"`);
    }
  };

  const parseArray = (path: PathSegment[]): unknown[] => {
    const arr: unknown[] = [];
    pos += 1;
    skipSpace();
    if (text[pos] === ']') return step(arr);
    for (;;) {
      skipSpace();
      if (text[pos] === ']') fail('trailing comma before "]"');
      arr.push(parseValue([...path, arr.length]));
      skipSpace();
      if (text[pos] === ',') pos += 1;
      else if (text[pos] === ']') return step(arr);
      else fail(`unexpected ${describe(pos)}, expected "," or "]"`);
    }
  };

  try {
    const value = parseValue([]);
    skipSpace();
    if (pos < text.length) fail(`unexpected ${describe(pos)} after the end of the JSON value`);
    return { value, issues: duplicates };
  } catch (err) {
    if (!(err instanceof JsonSyntaxError)) throw err;
    return { value: undefined, issues: [{ path: where(text, err.offset), message: `invalid JSON: ${err.message}` }] };
  }
}
