import type { StatusSource } from '../supervisor/startup-wait.js';
import type { UpstreamStatus } from '../supervisor/upstream-status.js';
import { explainingFetch } from '../upstream/network-error.js';

/**
 * Where a running gateway says how its servers are doing, from the MCP URL a command was given:
 * `…/mcp` and `…/servers/<name>/mcp` both have `…/ready` beside them (a path prefix is kept, for
 * a gateway behind a proxy); `server` is the name when the URL is one server's endpoint.
 */
export function readyOf(mcpUrl: URL): { url: URL; server?: string } {
  const match = /^(.*?)(?:\/servers\/([^/]+))?\/mcp\/?$/.exec(mcpUrl.pathname);
  const url = new URL(`${match ? match[1] : ''}/ready`, mcpUrl.origin);
  return match?.[2] ? { url, server: decodeURIComponent(match[2]) } : { url };
}

/**
 * The servers' states as the gateway's `/ready` reports them. A gateway whose `/ready` cannot be
 * read (not public under auth, an older version, a proxy) reports nothing, and nothing is waited for.
 */
export function remoteSource(readyUrl: URL, token: string | undefined): StatusSource {
  const fetchReady = explainingFetch();
  return async () => {
    try {
      const res = await fetchReady(readyUrl, token ? { headers: { authorization: `Bearer ${token}` } } : {});
      const body = (await res.json()) as { upstreams?: unknown };
      return Array.isArray(body.upstreams) ? (body.upstreams as UpstreamStatus[]) : [];
    } catch {
      return [];
    }
  };
}
