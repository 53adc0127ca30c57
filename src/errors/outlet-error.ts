import { redactErrorParts } from '../shared/redact.js';
import { ERROR_TABLE, type OutletErrorCode } from './codes.js';

/**
 * The one error type the outlet throws on purpose. It carries a gateway code (which fixes the
 * JSON-RPC code and HTTP status) and optional structured `data` for the wire.
 *
 * @example
 * throw new OutletError('UNKNOWN_TOOL', `Unknown tool "${name}"`, { tool: name });
 */
export class OutletError extends Error {
  override readonly name = 'OutletError';
  readonly code: OutletErrorCode;
  readonly data?: Record<string, unknown>;

  constructor(code: OutletErrorCode, message: string, data?: Record<string, unknown>, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    if (data !== undefined) this.data = data;
  }

  get rpcCode(): number {
    return ERROR_TABLE[this.code].rpc;
  }

  get httpStatus(): number {
    return ERROR_TABLE[this.code].http;
  }

  /**
   * The JSON-RPC `error` member: the gateway code rides in `data.outletCode` so clients can branch
   * on it. Secrets are scrubbed here, the one door every gateway error leaves by (an upstream's
   * connect error may quote a URL with credentials in it).
   */
  toJsonRpcError(): { code: number; message: string; data: Record<string, unknown> } {
    return redactErrorParts({ code: this.rpcCode, message: this.message, data: { outletCode: this.code, ...this.data } as Record<string, unknown> });
  }
}

/** Narrowing helper that also accepts errors from another copy of this module (same name + code). */
export function isOutletError(err: unknown): err is OutletError {
  return err instanceof OutletError || (err instanceof Error && err.name === 'OutletError' && 'code' in err);
}
