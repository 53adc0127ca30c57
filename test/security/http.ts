import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { modernRequest, readAnswer, type RawAnswer } from '../helpers/mcp-request.js';

/** One stateless 2026-07-28 request (no session needed), with the SEP-2243 headers mirrored. */
export async function modern(
  base: string,
  method: string,
  params: Record<string, unknown> = {},
  opts: { token?: string; path?: string; id?: number | string; headers?: Record<string, string> } = {},
): Promise<RawAnswer> {
  const request = modernRequest(method, params, { ...(opts.id !== undefined ? { id: opts.id } : {}), clientName: 'security-test' });
  // Mcp-Name always mirrors the body, even over a header the caller passes.
  const { 'mcp-name': name, ...mirrored } = request.headers;
  const headers: Record<string, string> = {
    ...mirrored,
    ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
    ...opts.headers,
    ...(name ? { 'mcp-name': name } : {}),
  };
  return readAnswer(await fetch(`${base}${opts.path ?? '/mcp'}`, { method: 'POST', headers, body: request.body }));
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
