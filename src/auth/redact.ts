/**
 * Secrets out of logs, traces, audit records and error messages. One helper for every security
 * writer: keys that name a secret have their value replaced, and strings are scrubbed of the
 * shapes secrets take on the wire (bearer credentials, JWTs, credentials in URLs, `key=value`
 * pairs whose key names a secret).
 *
 * @example
 * redact({ headers: { Authorization: 'Bearer abc' }, url: 'https://u:p@host/x?token=1' });
 * // { headers: { Authorization: '[REDACTED]' }, url: 'https://[REDACTED]@host/x?token=[REDACTED]' }
 */

export const REDACTED = '[REDACTED]';

/** Key names (compared without case, "-" and "_") whose values are secrets. */
const SECRET_KEYS = new Set(
  [
    'authorization',
    'proxyauthorization',
    'cookie',
    'setcookie',
    'token',
    'accesstoken',
    'refreshtoken',
    'idtoken',
    'bearer',
    'apikey',
    'xapikey',
    'password',
    'passwd',
    'secret',
    'clientsecret',
    'privatekey',
    'credentials',
    'sessiontoken',
  ].map((k) => k),
);

const normalizeKey = (key: string) => key.toLowerCase().replace(/[-_]/g, '');

/** True when a key (header name, field, env variable) names a secret. */
export function isSecretKey(key: string): boolean {
  const k = normalizeKey(key);
  return SECRET_KEYS.has(k) || k.endsWith('token') || k.endsWith('secret') || k.endsWith('password') || k.endsWith('apikey');
}

const STRING_RULES: readonly [RegExp, string][] = [
  // Authorization header values: "Bearer <token>", "Basic <b64>".
  [/\b(Bearer|Basic|Token)\s+[A-Za-z0-9\-._~+/]+=*/gi, `$1 ${REDACTED}`],
  // JWTs anywhere (three base64url parts, the first two JSON objects).
  [/\beyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g, REDACTED],
  // user:password@ in URLs.
  [/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@:]+:[^\s/@]*@/gi, `$1${REDACTED}@`],
  // key=value and "key": "value" where the key names a secret.
  [/\b((?:access_|refresh_|id_)?token|api[-_]?key|apikey|password|passwd|secret|client_secret|signature|sig)=([^&\s"']+)/gi, `$1=${REDACTED}`],
  [/("(?:[a-z_-]*(?:token|secret|password|api[-_]?key|authorization))"\s*:\s*)"[^"]*"/gi, `$1"${REDACTED}"`],
];

/** Scrubs secret-shaped substrings from free text (messages, URLs, stderr lines). */
export function redactString(text: string, extraSecrets: readonly string[] = []): string {
  let out = text;
  for (const secret of extraSecrets) if (secret.length >= 4) out = out.split(secret).join(REDACTED);
  for (const [pattern, replacement] of STRING_RULES) out = out.replace(pattern, replacement);
  return out;
}

/**
 * A deep copy of `value` with secrets removed: values under secret-named keys become
 * `[REDACTED]`, strings are scrubbed with {@link redactString}. Cycles and depth are bounded, so
 * it is safe on anything a caller might log.
 */
export function redact<T>(value: T, extraSecrets: readonly string[] = []): T {
  const seen = new WeakSet<object>();
  const walk = (v: unknown, depth: number): unknown => {
    if (typeof v === 'string') return redactString(v, extraSecrets);
    if (v === null || typeof v !== 'object') return v;
    if (seen.has(v) || depth > 32) return '[...]';
    seen.add(v);
    if (v instanceof Error) {
      return { name: v.name, message: redactString(v.message, extraSecrets) };
    }
    if (Array.isArray(v)) return v.map((x) => walk(x, depth + 1));
    if (v instanceof Headers) {
      const out: Record<string, string> = {};
      v.forEach((val, key) => (out[key] = isSecretKey(key) ? REDACTED : redactString(val, extraSecrets)));
      return out;
    }
    const out: Record<string, unknown> = {};
    for (const [key, val] of Object.entries(v)) out[key] = isSecretKey(key) && val !== undefined && val !== null ? REDACTED : walk(val, depth + 1);
    return out;
  };
  return walk(value, 0) as T;
}

/**
 * Paths for pino's own `redact` option, for loggers that log request objects: the headers that
 * carry credentials.
 */
export const PINO_REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'headers.cookie',
  '*.authorization',
  '*.token',
  '*.apiKey',
  '*.password',
];
