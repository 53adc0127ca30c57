import { ProtocolError } from '@modelcontextprotocol/server';
import { OutletError, isOutletError } from './outlet-error.js';

/**
 * Converts any thrown value into what an SDK request handler should throw so the client receives
 * a faithful JSON-RPC error: an upstream's own ProtocolError passes through with its code and data
 * untouched; an OutletError maps through the table; anything else becomes INTERNAL (the message is
 * kept, the stack stays in the log).
 */
export function toProtocolError(err: unknown): ProtocolError {
  if (err instanceof ProtocolError) return err;
  if (isOutletError(err)) {
    const e = (err as OutletError).toJsonRpcError();
    return new ProtocolError(e.code, e.message, e.data);
  }
  const message = err instanceof Error ? err.message : String(err);
  const internal = new OutletError('INTERNAL', message);
  const e = internal.toJsonRpcError();
  return new ProtocolError(e.code, e.message, e.data);
}

/** A complete JSON-RPC error response body for an OutletError (used where no SDK transport answers). */
export function jsonRpcErrorBody(err: OutletError, id: string | number | null = null): string {
  return JSON.stringify({ jsonrpc: '2.0', id, error: err.toJsonRpcError() });
}
