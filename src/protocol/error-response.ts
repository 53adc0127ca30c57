import { OutletError, isOutletError } from '../errors/index.js';

/** A JSON-RPC error as an HTTP response, with the status the error table assigns. */
export function errorResponse(err: unknown, id: string | number | null = null, headers?: Record<string, string>): Response {
  const e = isOutletError(err) ? (err as OutletError) : new OutletError('INTERNAL', err instanceof Error ? err.message : String(err));
  return new Response(JSON.stringify({ jsonrpc: '2.0', id, error: e.toJsonRpcError() }), {
    status: e.httpStatus,
    headers: { 'content-type': 'application/json', ...headers },
  });
}
