import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';

export const MODERN_META = {
  'io.modelcontextprotocol/protocolVersion': '2026-07-28',
  'io.modelcontextprotocol/clientCapabilities': {},
  'io.modelcontextprotocol/clientInfo': { name: 'security-test', version: '1' },
};

const NAME_SOURCE: Record<string, string> = { 'tools/call': 'name', 'prompts/get': 'name', 'resources/read': 'uri' };

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

/** One stateless 2026-07-28 request (no session needed), with the SEP-2243 headers mirrored. */
export async function modern(
  base: string,
  method: string,
  params: Record<string, unknown> = {},
  opts: { token?: string; path?: string; id?: number | string; headers?: Record<string, string> } = {},
): Promise<RawAnswer> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    'mcp-protocol-version': '2026-07-28',
    'mcp-method': method,
    ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
    ...opts.headers,
  };
  const source = NAME_SOURCE[method];
  if (source && typeof params[source] === 'string') headers['mcp-name'] = params[source] as string;
  const res = await fetch(`${base}${opts.path ?? '/mcp'}`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ jsonrpc: '2.0', id: opts.id ?? 1, method, params: { ...params, _meta: MODERN_META } }),
  });
  return readAnswer(res);
}

/** An SDK client (2025-11-25 sessions, or 2026-07-28) that sends a bearer credential. */
export async function connectWith(url: string, token: string | undefined, era: '2025-11-25' | '2026-07-28' = '2025-11-25'): Promise<Client> {
  const client = new Client(
    { name: 'security-test', version: '1.0.0' },
    era === '2026-07-28' ? { versionNegotiation: { mode: { pin: '2026-07-28' } } } : { supportedProtocolVersions: [era] },
  );
  await client.connect(new StreamableHTTPClientTransport(new URL(url), token ? { requestInit: { headers: { authorization: `Bearer ${token}` } } } : {}));
  return client;
}

/** The parameters of a `WWW-Authenticate: Bearer k="v", ...` challenge (RFC 6750 / RFC 9110 auth-param syntax). */
export function parseChallenge(header: string | null): { scheme: string; params: Record<string, string> } {
  if (!header) throw new Error('no WWW-Authenticate header');
  const m = /^(\S+)\s*(.*)$/s.exec(header)!;
  const params: Record<string, string> = {};
  const re = /([A-Za-z0-9_-]+)="((?:[^"\\]|\\.)*)"\s*,?\s*/g;
  let p: RegExpExecArray | null;
  while ((p = re.exec(m[2]!))) params[p[1]!] = p[2]!.replace(/\\(.)/g, '$1');
  return { scheme: m[1]!, params };
}
