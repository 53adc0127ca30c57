import { OutletError } from '../../errors/index.js';

/** One `/rpc` request, checked: a JSON-RPC 2.0 request with an id and object params. */
export interface RpcRequest {
  id: string | number;
  method: string;
  params: Record<string, unknown>;
}

/** The `_meta` keys `/rpc` reads (and removes before anything reaches a server). */
export interface RpcDirectives {
  /** An inline server entry (same schema as an entry of `servers`). */
  server?: unknown;
  /** A configured server, by name. */
  serverName?: string;
  /** Return the span tree and console lines in the result's `_meta["outlet/trace"]`. */
  trace: boolean;
}

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/** The JSON-RPC id of a body that may be anything, for the error answer (null when there is none). */
export function idOf(body: unknown): string | number | null {
  const id = isObject(body) ? body.id : undefined;
  return typeof id === 'string' || typeof id === 'number' ? id : null;
}

/** Checks the shape of a parsed body; each problem names where it is. */
export function parseRpcRequest(body: unknown): RpcRequest {
  if (Array.isArray(body)) throw new OutletError('BATCH_NOT_SUPPORTED', '/rpc takes one JSON-RPC request per POST, not a batch');
  if (!isObject(body)) throw new OutletError('INVALID_REQUEST', 'expected a JSON-RPC request object');
  if (body.jsonrpc !== '2.0') throw new OutletError('INVALID_REQUEST', 'jsonrpc: expected "2.0"', { path: 'jsonrpc' });
  if (typeof body.method !== 'string' || body.method === '') throw new OutletError('INVALID_REQUEST', 'method: expected a non-empty string', { path: 'method' });
  // A notification has no answer to carry a result or an error: /rpc is request/response only.
  if (body.id === undefined) throw new OutletError('INVALID_REQUEST', 'id: /rpc answers requests only; a notification (no id) has nothing to answer', { path: 'id' });
  if (typeof body.id !== 'string' && typeof body.id !== 'number') throw new OutletError('INVALID_REQUEST', 'id: expected a string or a number', { path: 'id' });
  if (body.params !== undefined && !isObject(body.params)) throw new OutletError('INVALID_PARAMS', 'params: expected an object', { path: 'params' });
  return { id: body.id, method: body.method, params: (body.params as Record<string, unknown> | undefined) ?? {} };
}

/**
 * Takes the outlet's own `_meta` keys out of the params: a server sees neither its own config
 * (which may hold secrets in `env`) nor the outlet's directives. Other `_meta` keys (progress
 * token, trace context) stay.
 */
export function takeDirectives(params: Record<string, unknown>): { params: Record<string, unknown>; directives: RpcDirectives } {
  const meta = params._meta;
  if (meta === undefined) return { params, directives: { trace: false } };
  if (!isObject(meta)) throw new OutletError('INVALID_PARAMS', 'params._meta: expected an object', { path: 'params._meta' });
  const kept: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(meta)) if (!key.startsWith('outlet/')) kept[key] = value;
  const name = meta['outlet/serverName'];
  if (name !== undefined && typeof name !== 'string') throw new OutletError('INVALID_PARAMS', 'params._meta["outlet/serverName"]: expected a string', { path: 'params._meta["outlet/serverName"]' });
  if (name !== undefined && meta['outlet/server'] !== undefined) {
    throw new OutletError('INVALID_PARAMS', 'params._meta: give either "outlet/server" (a config) or "outlet/serverName" (a configured server), not both', { path: 'params._meta' });
  }
  const trace = meta['outlet/trace'];
  if (trace !== undefined && typeof trace !== 'boolean') throw new OutletError('INVALID_PARAMS', 'params._meta["outlet/trace"]: expected true or false', { path: 'params._meta["outlet/trace"]' });
  const { _meta: _dropped, ...rest } = params;
  return {
    params: Object.keys(kept).length > 0 ? { ...rest, _meta: kept } : rest,
    directives: { ...(meta['outlet/server'] !== undefined ? { server: meta['outlet/server'] } : {}), ...(name !== undefined ? { serverName: name } : {}), trace: trace === true },
  };
}
