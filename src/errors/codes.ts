/**
 * Every gateway error code, with the JSON-RPC code and HTTP status it maps to.
 *
 * Gateway codes are strings (local, stable, greppable); JSON-RPC codes are the numbers on the wire.
 * The numbers avoid the ones MCP itself assigns (-32002, -32020, -32021, -32022, -32042), so a
 * client can always tell an outlet error from an upstream server's own. An upstream fault maps to a
 * 5xx-class meaning and never blames the client. `docs/errors.md` lists every code; a test checks
 * that the table and the document agree.
 */
export const ERROR_TABLE = {
  // Client mistakes (the caller can fix the request).
  PARSE_ERROR: { rpc: -32700, http: 400, summary: 'The body is not valid JSON.' },
  INVALID_REQUEST: { rpc: -32600, http: 400, summary: 'The body is JSON but not a valid JSON-RPC 2.0 request.' },
  BATCH_NOT_SUPPORTED: { rpc: -32600, http: 400, summary: 'JSON-RPC batches are not accepted (removed from MCP in 2025-06-18).' },
  METHOD_NOT_FOUND: { rpc: -32601, http: 404, summary: 'No such method on this endpoint.' },
  INVALID_PARAMS: { rpc: -32602, http: 400, summary: 'The params are missing or of the wrong shape.' },
  UNKNOWN_TOOL: { rpc: -32602, http: 404, summary: 'No tool of that name in the catalog (or not visible to the caller).' },
  UNKNOWN_PROMPT: { rpc: -32602, http: 404, summary: 'No prompt of that name in the catalog.' },
  UNKNOWN_RESOURCE: { rpc: -32602, http: 404, summary: 'No upstream owns that resource URI.' },
  UNKNOWN_SERVER: { rpc: -32602, http: 404, summary: 'No configured server of that name.' },
  INVALID_CURSOR: { rpc: -32602, http: 400, summary: 'The pagination cursor was not issued by this gateway.' },
  SESSION_NOT_FOUND: { rpc: -32001, http: 404, summary: 'The Mcp-Session-Id is unknown or the session has ended.' },
  PAYLOAD_TOO_LARGE: { rpc: -32600, http: 413, summary: 'The request body exceeds the configured limit.' },
  INPUT_LIMIT_EXCEEDED: { rpc: -32600, http: 400, summary: 'The message nests deeper, or holds a longer string, than inputLimits allow (the message names the path), or the raw body nests deeper than http.maxJsonDepth (refused before parsing).' },
  // Security (the caller may fix its credentials, or wait).
  UNAUTHENTICATED: { rpc: -32023, http: 401, summary: 'The request carries no valid credentials (HTTP answers 401 with a WWW-Authenticate challenge).' },
  INSUFFICIENT_SCOPE: { rpc: -32024, http: 403, summary: 'A policy allows this only with OAuth scopes the token lacks (HTTP answers 403 insufficient_scope).' },
  TOOL_WITHHELD: { rpc: -32025, http: 403, summary: 'The tool\'s definition changed since it was pinned (or it was never approved); withheld until re-approved with `outlet pin`.' },
  FORBIDDEN: { rpc: -32027, http: 403, summary: 'An operator method (outlet/servers, outlet/trace) needs one of the auth.adminRoles the caller lacks.' },
  INLINE_SERVER_REFUSED: { rpc: -32026, http: 403, summary: 'A server config sent with an /rpc request was refused: inline configs are off (rpc.enabled), the caller is not authenticated or no policy grants it `rpc:inline`, its command, package or URL is not on the rpc allowlist, or it sets what only the operator may (sandbox, instances and other keys, a variable that changes how code is loaded, a cwd outside its scratch).' },
  RATE_LIMITED: { rpc: -32019, http: 429, summary: 'A rate limit was reached; retry after `data.retryAfterSeconds` (HTTP: the Retry-After header).' },
  // Gateway-side states (the caller may retry later).
  UPSTREAM_UNAVAILABLE: { rpc: -32010, http: 502, summary: 'The upstream server is not connected (starting, failed or stopped).' },
  UPSTREAM_CLOSED: { rpc: -32011, http: 502, summary: 'The upstream connection closed while the request was in flight.' },
  UPSTREAM_TIMEOUT: { rpc: -32012, http: 504, summary: 'The upstream did not answer within the configured timeout.' },
  UPSTREAM_ERROR: { rpc: -32013, http: 502, summary: 'The upstream answered with an error the gateway could not pass through as-is.' },
  GATEWAY_BUSY: { rpc: -32014, http: 503, summary: 'No capacity for the call now: the upstream queue is full, a per-session server is at its session cap, the process cap is reached, no fresh per-request instance came in time, or the gateway holds http.sessions.max sessions and none is idle; retry later.' },
  SHUTTING_DOWN: { rpc: -32015, http: 503, summary: 'The gateway is draining and accepts no new requests.' },
  SANDBOX_UNAVAILABLE: { rpc: -32018, http: 503, summary: 'The server\'s sandbox cannot be built on this host (bubblewrap missing or unusable, or the container engine of a container entry unreachable); the message says how to fix it.' },
  INTERNAL: { rpc: -32603, http: 500, summary: 'An unexpected gateway fault; details are in the gateway log.' },
  // Configuration (at load, reload or validation).
  CONFIG_INVALID: { rpc: -32016, http: 400, summary: 'A configuration failed validation; the message names each path and reason.' },
  CATALOG_CONFLICT: { rpc: -32017, http: 409, summary: 'Two entries would publish the same name, or a name breaks the length limit.' },
} as const satisfies Record<string, { rpc: number; http: number; summary: string }>;

/** A gateway error code: a key of {@link ERROR_TABLE}. */
export type OutletErrorCode = keyof typeof ERROR_TABLE;

/** The JSON-RPC code for a gateway code. */
export function rpcCodeOf(code: OutletErrorCode): number {
  return ERROR_TABLE[code].rpc;
}

/** The HTTP status for a gateway code. */
export function httpStatusOf(code: OutletErrorCode): number {
  return ERROR_TABLE[code].http;
}
