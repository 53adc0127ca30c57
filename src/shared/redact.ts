import { compileUserPattern } from './user-pattern.js';

/**
 * The outlet's one redaction: what observability records (spans, the tool-call log line, the audit
 * stream), security audit records (src/policy/audit/security-audit.ts) and errors on their way to clients
 * (src/protocol/gateway-server.ts). Configured keys and patterns, secrets learned from a request
 * and scrubbed from everything that request produces, and JSON that stops growing at a size cap.
 */

/** What replaces a secret everywhere the outlet records something (spans, logs, audit). */
export const REDACTED = '[REDACTED]';

/**
 * Key names (normalized: lower case, "-", "_", "." and spaces removed) whose values are secrets
 * wherever they appear as a substring of a key: `Authorization`, `x-api-key`, `access_token`,
 * `client_secret`, `db_password`, `Set-Cookie`, ...
 */
const BUILTIN_KEY_PARTS = ['authorization', 'token', 'password', 'passwd', 'secret', 'apikey', 'cookie', 'credential', 'privatekey', 'accesskey', 'signature'];
/** Keys that are secrets only when they are the whole key (as a part they would catch too much). */
const BUILTIN_WHOLE_KEYS = ['auth', 'pass', 'pwd', 'jwt', 'bearer'];
/** Keys that contain a secret-looking part but are not secrets (MCP's own fields, model parameters). */
const NOT_SECRET_KEYS = new Set(['progresstoken', 'maxtokens', 'tokens', 'tokencount']);

/**
 * Secrets by their look, in any recorded string: `key=value` and `"key": "value"` secrets (the key
 * is kept), bearer tokens, URL passwords (the scheme and user are kept), private key blocks and
 * common API key formats (GitHub, `sk-` style, AWS access key ids, Slack, JWTs). Groups 1 and 2
 * (a key and its quote) or group 3 (a URL up to its password) are the parts kept before a secret.
 */
const BUILTIN_PATTERN = new RegExp(
  [
    String.raw`((?:password|passwd|secret|token|api[_-]?key|access[_-]?key|authorization|cookie|credential)\\?["']?\s*[=:]\s*)(\\?["']?)(?:bearer\s+|basic\s+)?[^\s"'&,;}\\]{3,}`,
    String.raw`\bbearer\s+[a-z0-9._~+/-]{8,}=*`,
    String.raw`(\b[a-z][a-z0-9+.-]*://[^/\s:@]+:)[^/\s@]+(?=@)`,
    String.raw`-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----`,
    String.raw`\b(?:gh[pousr]_[a-z0-9]{20,}|github_pat_[a-z0-9_]{20,})`,
    String.raw`\bsk-(?:ant-|proj-)?[a-z0-9_-]{16,}`,
    String.raw`\bAKIA[0-9A-Z]{16}\b`,
    String.raw`\bxox[abprs]-[a-z0-9-]{10,}`,
    String.raw`\beyJ[a-z0-9_-]{8,}\.eyJ[a-z0-9_-]{8,}\.[a-z0-9_-]{8,}`,
  ].join('|'),
  'gi',
);
/**
 * Something every built-in pattern needs: a secret key word, a bearer token, "://" or the start of
 * a token format. Most strings (file contents, prose, JSON without secret words) have none and are
 * skipped after this one cheap scan.
 */
const BUILTIN_TRIGGER = /passw|secret|token|api[_-]?key|access[_-]?key|authorization|cookie|credential|bearer|:\/\/|-----BEGIN|gh[pousr]_|github_pat_|sk-|AKIA|xox[abprs]-|eyJ/i;
/** No built-in pattern matches fewer characters than this; shorter strings skip the scan. */
const BUILTIN_MIN_LENGTH = 8;
const replaceBuiltin = (_match: string, key: string | undefined, quote: string | undefined, url: string | undefined): string =>
  key !== undefined ? `${key}${quote ?? ''}${REDACTED}` : url !== undefined ? `${url}${REDACTED}` : REDACTED;
/** A secret learned from a request (a value under a secret key) is scrubbed from other text only from this length on. */
const LEARNED_MIN_LENGTH = 4;

const MAX_DEPTH = 24;

export interface RedactorOptions {
  /** More key parts (normalized like the built-in ones). */
  keys?: readonly string[];
  /** More patterns (`pattern` or `/pattern/flags`). */
  patterns?: readonly string[];
}

const normalizeKey = (key: string): string => key.toLowerCase().replace(/[-_\s.]/g, '');

/**
 * Removes secrets from what the outlet records: by key name (any value under a secret-looking key,
 * at any depth), by pattern (in every string), and by value (a secret seen under a secret key in a
 * request is scrubbed from that request's result, errors and console lines too, so an upstream that
 * echoes its arguments cannot leak them).
 */
export class Redactor {
  private readonly keyParts: string[];
  private readonly userPatterns: RegExp[];
  private readonly keyCache = new Map<string, boolean>();
  /** fitsIn's budget while it walks: characters and nodes left. */
  private room = 0;
  private nodes = 0;

  constructor(options: RedactorOptions = {}) {
    this.keyParts = [...BUILTIN_KEY_PARTS, ...(options.keys ?? []).map(normalizeKey).filter(Boolean)];
    this.userPatterns = (options.patterns ?? []).map((p) => compileUserPattern(p)).filter((re): re is RegExp => re !== undefined);
  }

  /** True when a value under this key is a secret. */
  isSecretKey(key: string): boolean {
    let secret = this.keyCache.get(key);
    if (secret === undefined) {
      const k = normalizeKey(key);
      secret = !NOT_SECRET_KEYS.has(k) && (BUILTIN_WHOLE_KEYS.includes(k) || this.keyParts.some((part) => k.includes(part)));
      if (this.keyCache.size < 10_000) this.keyCache.set(key, secret);
    }
    return secret;
  }

  /** A string with the given learned secrets and every pattern match replaced. */
  redactString(text: string, secrets?: readonly string[]): string {
    let out = text;
    if (secrets) for (const secret of secrets) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    if (out.length >= BUILTIN_MIN_LENGTH && BUILTIN_TRIGGER.test(out)) out = out.replace(BUILTIN_PATTERN, replaceBuiltin);
    for (const re of this.userPatterns) out = out.replace(re, REDACTED);
    return out;
  }

  /**
   * The string values found under secret keys anywhere in `value` (long enough to be scrubbed from
   * other text), longest first, or undefined when there are none. Bounded in depth and nodes visited.
   */
  collectSecrets(value: unknown): string[] | undefined {
    const walk = { budget: 5000, found: undefined as string[] | undefined };
    this.visitSecrets(value, false, 0, walk);
    // Longest first, so a secret that contains another is replaced whole.
    return walk.found?.sort((a, b) => b.length - a.length);
  }

  private visitSecrets(v: unknown, underSecret: boolean, depth: number, walk: { budget: number; found: string[] | undefined }): void {
    if (--walk.budget < 0 || depth > MAX_DEPTH) return;
    if (typeof v === 'string') {
      if (underSecret && v.length >= LEARNED_MIN_LENGTH) (walk.found ??= []).push(v);
      return;
    }
    if (v === null || typeof v !== 'object') return;
    if (Array.isArray(v)) {
      for (const item of v) this.visitSecrets(item, underSecret, depth + 1, walk);
      return;
    }
    for (const key in v) this.visitSecrets((v as Record<string, unknown>)[key], underSecret || this.isSecretKey(key), depth + 1, walk);
  }

  /** True when `value`'s text would be at most about `maxChars` (counted on its strings and keys, bounded walk). */
  fitsIn(value: unknown, maxChars: number): boolean {
    // The budget lives on the instance (the walk is synchronous): no counter object per call.
    this.room = maxChars;
    this.nodes = 500;
    return this.measure(value, 0);
  }

  private measure(v: unknown, depth: number): boolean {
    if (--this.nodes < 0 || depth > MAX_DEPTH) return false;
    if (typeof v === 'string') return (this.room -= v.length + 2) >= 0;
    if (typeof v !== 'object' || v === null) return (this.room -= 8) >= 0;
    if (Array.isArray(v)) {
      for (const item of v) if (!this.measure(item, depth + 1)) return false;
      return true;
    }
    for (const key in v) if ((this.room -= key.length + 4) < 0 || !this.measure((v as Record<string, unknown>)[key], depth + 1)) return false;
    return true;
  }

  /**
   * True when `value` serializes to well under `maxChars` and no key in it is a secret key: then
   * JSON.stringify and one scan of the text are enough.
   */
  private isPlainAndSmall(value: unknown, maxChars: number): boolean {
    return this.plain(value, 0, { room: maxChars / 2, nodes: 200 });
  }

  private plain(v: unknown, depth: number, left: { room: number; nodes: number }): boolean {
    if (--left.nodes < 0 || depth > MAX_DEPTH) return false;
    if (typeof v === 'string') return (left.room -= v.length + 2) > 0;
    if (typeof v !== 'object' || v === null) return typeof v !== 'bigint' && (left.room -= 8) > 0;
    if (Array.isArray(v)) {
      for (const item of v) if (!this.plain(item, depth + 1, left)) return false;
      return true;
    }
    for (const key in v) if (this.isSecretKey(key) || (left.room -= key.length + 3) <= 0 || !this.plain((v as Record<string, unknown>)[key], depth + 1, left)) return false;
    return true;
  }

  /**
   * `value` as redacted JSON text of at most about `maxChars` characters (cut with a marker), without
   * serializing more than that: a 4 MiB resource costs what its first `maxChars` cost.
   */
  json(value: unknown, maxChars: number, secrets?: readonly string[]): string {
    // Small and without secret keys (most requests and results): serialize natively, then scrub the text.
    if (this.isPlainAndSmall(value, maxChars)) return this.redactString(JSON.stringify(value) ?? 'null', secrets);
    const out = new BoundedText(maxChars);
    this.write(out, value, false, 0, secrets);
    return out.finish();
  }

  /** A plain-object copy of `value` with every secret replaced (audit values). */
  redactValue(value: unknown, secrets?: readonly string[], depth = 0): unknown {
    if (typeof value === 'string') return this.redactString(value, secrets);
    if (value === null || typeof value !== 'object' || depth > MAX_DEPTH) return value;
    if (Array.isArray(value)) return value.map((v) => this.redactValue(v, secrets, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) out[key] = this.isSecretKey(key) && isRedactable(v) ? REDACTED : this.redactValue(v, secrets, depth + 1);
    return out;
  }

  private write(out: BoundedText, value: unknown, underSecret: boolean, depth: number, secrets: readonly string[] | undefined): void {
    if (out.full) return;
    switch (typeof value) {
      case 'string': {
        if (underSecret) return out.push(`"${REDACTED}"`);
        // Redact a little beyond what fits, so a secret cut at the edge is still recognized.
        const room = out.room + 512;
        const text = this.redactString(value.length > room ? value.slice(0, room) : value, secrets);
        return out.push(JSON.stringify(text));
      }
      case 'number':
        return out.push(Number.isFinite(value) ? String(value) : 'null');
      case 'boolean':
        return out.push(value ? 'true' : 'false');
      case 'bigint':
        return out.push(String(value));
      case 'object':
        break;
      default:
        return out.push('null');
    }
    if (value === null) return out.push('null');
    if (depth > MAX_DEPTH) return out.push('"[too deep]"');
    if (Array.isArray(value)) {
      out.push('[');
      for (let i = 0; i < value.length && !out.full; i++) {
        if (i > 0) out.push(',');
        this.write(out, value[i], underSecret, depth + 1, secrets);
      }
      return out.push(']');
    }
    out.push('{');
    let first = true;
    for (const key of Object.keys(value)) {
      if (out.full) break;
      const v = (value as Record<string, unknown>)[key];
      if (v === undefined) continue;
      if (!first) out.push(',');
      first = false;
      out.push(`${JSON.stringify(key)}:`);
      this.write(out, v, underSecret || this.isSecretKey(key), depth + 1, secrets);
    }
    out.push('}');
  }
}

function isRedactable(v: unknown): boolean {
  return typeof v === 'string' || (typeof v === 'object' && v !== null);
}

/** Text that stops growing at a limit and says so. */
class BoundedText {
  private readonly parts: string[] = [];
  private length = 0;
  full = false;

  constructor(private readonly max: number) {}

  get room(): number {
    return Math.max(0, this.max - this.length);
  }

  push(text: string): void {
    if (this.full) return;
    if (this.length + text.length > this.max) {
      this.parts.push(text.slice(0, this.max - this.length));
      this.length = this.max;
      this.full = true;
      return;
    }
    this.parts.push(text);
    this.length += text.length;
  }

  finish(): string {
    const text = this.parts.join('');
    return this.full ? `${text}... [truncated at ${this.max} characters]` : text;
  }
}

/** The JSON type of each value, by key and element: what the audit stream records instead of values. */
export type Shape = string | Shape[] | { [key: string]: Shape };

/**
 * The shape of a value: its keys and the JSON type of each leaf (`string`, `integer`, `number`,
 * `boolean`, `null`), arrays as the distinct shapes of their elements. Bounded in depth and width.
 *
 * @example
 * shapeOf({ path: '/etc/passwd', opts: { lines: 3 }, tags: ['a', 'b'] });
 * // { path: 'string', opts: { lines: 'integer' }, tags: ['string'] }
 */
export function shapeOf(value: unknown, depth = 0): Shape {
  if (value === null) return 'null';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  if (typeof value !== 'object') return typeof value;
  if (depth >= 8) return Array.isArray(value) ? 'array' : 'object';
  if (Array.isArray(value)) {
    const seen = new Map<string, Shape>();
    for (const item of value.slice(0, 50)) {
      const shape = shapeOf(item, depth + 1);
      const key = JSON.stringify(shape);
      if (!seen.has(key)) seen.set(key, shape);
      if (seen.size >= 5) break;
    }
    return [...seen.values()];
  }
  const out: Record<string, Shape> = {};
  const keys = Object.keys(value);
  for (const key of keys.slice(0, 100)) out[key] = shapeOf((value as Record<string, unknown>)[key], depth + 1);
  if (keys.length > 100) out['...'] = `${keys.length - 100} more keys`;
  return out;
}

/**
 * The redactor for what leaves the process outside observability's own records: error bodies on
 * every route, `/ready`, `outlet/servers`. Built-in keys and patterns only, so it works the same
 * before any config is loaded; observability's records also apply the operator's `redact` list.
 */
const OUTGOING = new Redactor();

/**
 * Text on its way out of the process (an error message, a server's last error) with secrets
 * replaced: a connect error quotes its URL, and a URL can carry `user:password@` or `?api_key=`.
 *
 * @example
 * redactOutgoing('fetch http://bob:hunter22@h/x?api_key=abc123 failed');
 * // 'fetch http://bob:[REDACTED]@h/x?api_key=[REDACTED] failed'
 */
export function redactOutgoing(text: string): string {
  return OUTGOING.redactString(text);
}

/** A JSON-RPC error's message and data as they may leave the process: patterns scrubbed, values under secret keys replaced. */
export function redactErrorParts<T extends { message: string; data?: unknown }>(error: T): T {
  const message = OUTGOING.redactString(error.message);
  if (error.data === undefined) return message === error.message ? error : { ...error, message };
  return { ...error, message, data: OUTGOING.redactValue(error.data) };
}

/** Flags whose next argument is a secret: `--token abc`, `--password hunter2`. */
function isSecretFlag(arg: string, redactor: Redactor): boolean {
  const m = /^--?([a-z][\w-]*)$/i.exec(arg);
  return m !== null && redactor.isSecretKey(m[1]!);
}

/** A URL with its password and secret-named query values replaced. */
export function redactUrl(raw: string, redactor: Redactor): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return redactor.redactString(raw);
  }
  if (url.password) url.password = 'REDACTED';
  for (const key of [...url.searchParams.keys()]) if (redactor.isSecretKey(key)) url.searchParams.set(key, 'REDACTED');
  return redactor.redactString(url.toString());
}

/**
 * A server entry as it may be recorded: every env value and header value replaced (keys kept),
 * the URL's password and secret query values, arguments after a secret-named flag, and whatever
 * the patterns catch.
 */
export function redactServerConfig(config: Record<string, unknown>, redactor: Redactor): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    if ((key === 'env' || key === 'headers') && value && typeof value === 'object') {
      out[key] = Object.fromEntries(Object.keys(value).map((k) => [k, REDACTED]));
    } else if (key === 'args' && Array.isArray(value)) {
      out[key] = value.map((arg: unknown, i) => (i > 0 && isSecretFlag(String(value[i - 1]), redactor) ? REDACTED : redactor.redactString(String(arg))));
    } else if (key === 'url' && typeof value === 'string') {
      out[key] = redactUrl(value, redactor);
    } else {
      out[key] = redactor.redactValue(value);
    }
  }
  return out;
}
