/**
 * Request headers a caller may not set: the connection's own (RFC 9110 section 7.6.1), the proxy's,
 * the framing this client computes (Content-Length, Transfer-Encoding, Expect), and Host, which
 * always names the URL's host so that the name checked is the name asked for.
 */
const REFUSED = new Set(['connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'host', 'content-length', 'expect', 'http2-settings']);

/** RFC 9110 section 5.6.2: a field name is a token. */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** The caller's headers, lower-cased and checked; throws naming the first bad one. */
export function checkRequestHeaders(headers: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const lower = name.toLowerCase();
    if (!TOKEN.test(name)) throw new Error(`headers: "${name}" is not a valid header name`);
    if (REFUSED.has(lower)) throw new Error(`headers: "${name}" may not be set (hop-by-hop, Host and framing headers are the client's own)`);
    if (/[\r\n\0]/.test(value)) throw new Error(`headers: the value of "${name}" holds a line break or NUL`);
    if (lower in out) throw new Error(`headers: "${name}" is given twice (names are case-insensitive)`);
    out[lower] = value;
  }
  return out;
}
