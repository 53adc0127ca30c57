/**
 * An upstream URL written with credentials (`https://user:pass@host/mcp`): fetch refuses such a
 * URL outright (WHATWG Fetch: a request URL must not include credentials), so the server could
 * never be reached. They become HTTP Basic authentication (RFC 7617) instead, the meaning the
 * URL form had, unless the entry's own headers already carry an Authorization header.
 *
 * @example
 * splitUrlCredentials(new URL('http://alice:pw@127.0.0.1:9000/mcp'), {});
 * // { url: http://127.0.0.1:9000/mcp, headers: { Authorization: 'Basic YWxpY2U6cHc=' } }
 */
export function splitUrlCredentials(url: URL, headers: Record<string, string>): { url: URL; headers: Record<string, string> } {
  if (url.username === '' && url.password === '') return { url, headers };
  const bare = new URL(url);
  bare.username = '';
  bare.password = '';
  if (Object.keys(headers).some((name) => name.toLowerCase() === 'authorization')) return { url: bare, headers };
  const pair = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
  return { url: bare, headers: { ...headers, Authorization: `Basic ${Buffer.from(pair, 'utf8').toString('base64')}` } };
}
