import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

/** A stdio fixture whose `echo_meta` tool prints a console line and answers with the `_meta` it received. */
export const META_ECHO = fileURLToPath(new URL('../observability/meta-echo-server.mjs', import.meta.url));

/**
 * The operator's cage for the fixture: inline servers get no binds from their arguments, so the
 * checkout (the fixture and the SDK it imports) is listed under rpc.sandbox.mounts, read-only.
 */
export const FIXTURE_SANDBOX = { mounts: [{ path: fileURLToPath(new URL('../..', import.meta.url)).replace(/\/$/, '') }] };

/** An inline server entry for the fixture (what a caller puts in `_meta["outlet/server"]`). */
export function inlineFixture(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { command: process.execPath, args: [META_ECHO], ...extra };
}

export interface RpcAnswer {
  status: number;
  body: { jsonrpc: string; id: unknown; result?: Record<string, unknown>; error?: { code: number; message: string; data?: Record<string, unknown> } };
}

let nextId = 1;

/** POSTs one JSON-RPC request (or any raw body) to `<base>/rpc`. */
export async function rpc(base: string, method: string, params?: Record<string, unknown>, headers: Record<string, string> = {}): Promise<RpcAnswer> {
  return rpcRaw(base, JSON.stringify({ jsonrpc: '2.0', id: nextId++, method, ...(params ? { params } : {}) }), headers);
}

export async function rpcRaw(base: string, body: string, headers: Record<string, string> = {}): Promise<RpcAnswer> {
  const res = await fetch(`${base}/rpc`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  expect(res.headers.get('content-type')).toContain('application/json');
  return { status: res.status, body: (await res.json()) as RpcAnswer['body'] };
}

export function textOf(result: Record<string, unknown> | undefined): string {
  return ((result?.content as { text: string }[] | undefined) ?? [])[0]?.text ?? '';
}
