import { fileURLToPath } from 'node:url';
import { fetcherOf, type Fetcher } from '../helpers/mcp-request.js';

/** The routing fixture server (tools echo, hidden, denied, crash, wait). */
export const ROUTING_SERVER = fileURLToPath(new URL('./fixtures/routing-server.mjs', import.meta.url));

/** What POST /rpc answered: the HTTP status and the JSON-RPC body. */
export interface RpcAnswer {
  status: number;
  text: string;
  body: { result?: Record<string, unknown>; error?: { code: number; message: string; data?: Record<string, unknown> } };
}

/**
 * One JSON-RPC request to /rpc; `serverName` sends it to one server by name (`_meta["outlet/serverName"]`).
 * `base` is a base URL or a test gateway's `fetch` (in process).
 */
export async function rpc(base: string | Fetcher, method: string, params: Record<string, unknown> = {}, serverName?: string): Promise<RpcAnswer> {
  const withName = serverName === undefined ? params : { ...params, _meta: { 'outlet/serverName': serverName } };
  const res = await fetcherOf(base)('/rpc', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params: withName }) });
  const text = await res.text();
  return { status: res.status, text, body: JSON.parse(text) as RpcAnswer['body'] };
}

/** The text of a tool result's first content block, parsed (the fixture answers JSON). */
export function firstJson(result: Record<string, unknown> | undefined): Record<string, unknown> {
  const content = (result?.content ?? []) as Array<{ text?: string }>;
  return JSON.parse(content[0]?.text ?? 'null') as Record<string, unknown>;
}
