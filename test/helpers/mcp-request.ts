/** One way to send a raw HTTP request: global fetch on a URL, or a gateway's in-process app. */
export type Fetcher = (path: string, init?: RequestInit) => Promise<Response>;

/** A base URL becomes a fetcher over the network; a fetcher (a test gateway's `fetch`) stays as it is. */
export function fetcherOf(base: string | Fetcher): Fetcher {
  return typeof base === 'string' ? (path, init) => fetch(`${base}${path}`, init) : base;
}

/** The two protocol eras: 2025-11-25 sessions (initialize first) and 2026-07-28 stateless requests. */
export type Era = 'legacy' | 'modern';

/** The `_meta` envelope every 2026-07-28 request carries in place of an initialize handshake. */
export function modernMeta(clientName = 'outlet-test'): Record<string, unknown> {
  return {
    'io.modelcontextprotocol/protocolVersion': '2026-07-28',
    'io.modelcontextprotocol/clientCapabilities': {},
    'io.modelcontextprotocol/clientInfo': { name: clientName, version: '1.0.0' },
  };
}

/** Where 2026-07-28 mirrors a request's target in the Mcp-Name header (SEP-2243). */
const NAME_SOURCE: Record<string, string> = { 'tools/call': 'name', 'prompts/get': 'name', 'resources/read': 'uri' };

/** A 2026-07-28 stateless request (no session): the `_meta` envelope, and the headers that must mirror the body. */
export function modernRequest(method: string, params: Record<string, unknown> = {}, options: { id?: number | string; clientName?: string } = {}): { headers: Record<string, string>; body: string } {
  const source = NAME_SOURCE[method];
  const name: Record<string, string> = source && typeof params[source] === 'string' ? { 'mcp-name': params[source] } : {};
  return {
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2026-07-28', 'mcp-method': method, ...name },
    body: JSON.stringify({ jsonrpc: '2.0', id: options.id ?? 1, method, params: { ...params, _meta: modernMeta(options.clientName) } }),
  };
}

export interface RawAnswer {
  status: number;
  headers: Headers;
  /** The JSON body (or the last JSON-RPC message of an SSE body); undefined when empty or not JSON. */
  json: Record<string, unknown> | undefined;
  text: string;
}

/** Reads a response as JSON or as the last message of an SSE stream. */
export async function readAnswer(res: Response): Promise<RawAnswer> {
  const text = await res.text();
  let json: Record<string, unknown> | undefined;
  const type = res.headers.get('content-type') ?? '';
  try {
    if (type.includes('text/event-stream')) {
      const data = text
        .split('\n')
        .filter((l) => l.startsWith('data:'))
        .map((l) => l.slice(5).trim())
        .filter(Boolean);
      const last = data[data.length - 1];
      if (last) json = JSON.parse(last) as Record<string, unknown>;
    } else if (text) {
      json = JSON.parse(text) as Record<string, unknown>;
    }
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, json, text };
}

const LEGACY_HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

/**
 * Opens a 2025-11-25 session by hand: initialize, then the initialized notification (spec:
 * basic/lifecycle). Returns the session id, or the refusal when the gateway answered without one.
 */
export async function openSession(fetcher: Fetcher, path: string, clientName = 'outlet-test', headers: Record<string, string> = {}): Promise<{ sessionId: string } | { refused: RawAnswer }> {
  const post = (body: unknown, extra: Record<string, string> = {}) => fetcher(path, { method: 'POST', headers: { ...LEGACY_HEADERS, ...headers, ...extra }, body: JSON.stringify(body) });
  const opened = await post({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: clientName, version: '1' } } });
  const sessionId = opened.headers.get('mcp-session-id');
  if (!sessionId) return { refused: await readAnswer(opened) };
  await opened.text();
  await (await post({ jsonrpc: '2.0', method: 'notifications/initialized' }, { 'mcp-session-id': sessionId })).text();
  return { sessionId };
}

/** The id of a session openSession opened; a refusal fails the test with the gateway's answer. */
export async function sessionOf(fetcher: Fetcher, path: string, clientName?: string): Promise<string> {
  const opened = await openSession(fetcher, path, clientName);
  if ('refused' in opened) throw new Error(`initialize refused (${opened.refused.status}): ${opened.refused.text}`);
  return opened.sessionId;
}

/** One request in a 2025-11-25 session of its own, ended with DELETE afterwards (spec: basic/transports, session management). */
export async function legacyRequest(fetcher: Fetcher, path: string, method: string, params: Record<string, unknown>, headers: Record<string, string> = {}): Promise<RawAnswer> {
  const opened = await openSession(fetcher, path, undefined, headers);
  if ('refused' in opened) return opened.refused;
  const inSession = { ...LEGACY_HEADERS, ...headers, 'mcp-session-id': opened.sessionId, 'mcp-protocol-version': '2025-11-25' };
  try {
    return await readAnswer(await fetcher(path, { method: 'POST', headers: inSession, body: JSON.stringify({ jsonrpc: '2.0', id: 2, method, params }) }));
  } finally {
    await (await fetcher(path, { method: 'DELETE', headers: inSession })).text();
  }
}
