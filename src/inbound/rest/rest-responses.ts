import { ProtocolError, type Result } from '@modelcontextprotocol/server';
import { ERROR_TABLE, isOutletError, OutletError, type OutletErrorCode } from '../../errors/index.js';
import type { Logger } from '../../observability/logger.js';
import { redactErrorParts } from '../../shared/redact.js';

/**
 * The REST envelopes: `{success: true, result, latency_ms}` or `{success: false, error, code,
 * latency_ms}`, with the HTTP status the failure deserves.
 */

/** Not a gateway error: the tool ran and said it failed (`isError`). REST answers it with 422. */
export const TOOL_ERROR_CODE = 'TOOL_ERROR';

/** JSON-RPC "invalid params", as an upstream server may answer a call whose arguments it refuses. */
const RPC_INVALID_PARAMS = -32602;

/** Milliseconds since `start` (a `performance.now()` reading), to the hundredth. */
export function latencySince(start: number): number {
  return Math.round((performance.now() - start) * 100) / 100;
}

function json(body: unknown, status: number, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
}

/** A call's answer: 200 with the result, or 422 when the tool reported an error in it. */
export function toolCallResponse(result: Result, latency: number): Response {
  if ((result as { isError?: unknown }).isError === true) {
    return json({ success: false, error: errorText(result), code: TOOL_ERROR_CODE, result, latency_ms: latency }, 422);
  }
  return json({ success: true, result, latency_ms: latency }, 200);
}

/** The text blocks of an error result, joined; a result without text still gets a message. */
function errorText(result: Result): string {
  const content = (result as { content?: unknown }).content;
  const texts = Array.isArray(content)
    ? content.filter((b): b is { type: 'text'; text: string } => (b as { type?: unknown })?.type === 'text' && typeof (b as { text?: unknown }).text === 'string').map((b) => b.text)
    : [];
  return texts.length > 0 ? texts.join('\n') : 'the tool reported an error without a text message';
}

/**
 * A failure as a REST response. Gateway errors keep their own code and status (429 adds
 * Retry-After). An upstream server's own JSON-RPC error is the server's word, not the gateway's:
 * "invalid params" blames the caller's arguments (400), anything else is a 502. Any other throw
 * is a gateway fault: logged, and answered with a generic message that leaks nothing.
 */
export function failureResponse(err: unknown, latency: number, logger: Pick<Logger, 'error'>): Response {
  if (isOutletError(err)) {
    const e = err as OutletError;
    const retryAfter = e.code === 'RATE_LIMITED' ? e.data?.retryAfterSeconds : undefined;
    // The wire form is the redacted one (no credentials quoted from an upstream URL).
    const { message, data: { outletCode: _code, ...data } } = e.toJsonRpcError();
    return json(
      { success: false, error: message, code: e.code, ...(e.data ? { data } : {}), latency_ms: latency },
      e.httpStatus,
      typeof retryAfter === 'number' ? { 'retry-after': String(retryAfter) } : {},
    );
  }
  if (err instanceof ProtocolError) {
    // The gateway's own failures may arrive as JSON-RPC errors (a stdio upstream that exits
    // answers its pending calls with UPSTREAM_CLOSED in `data.outletCode`): keep their code.
    const relayed = relayedCode(err.data);
    if (relayed) {
      const { outletCode: _code, ...data } = err.data as Record<string, unknown>;
      return failureResponse(new OutletError(relayed, err.message, Object.keys(data).length > 0 ? data : undefined), latency, logger);
    }
    const invalid = err.code === RPC_INVALID_PARAMS;
    const { message, data } = redactErrorParts({ message: err.message, data: { upstreamCode: err.code, ...(err.data !== undefined ? { upstreamData: err.data } : {}) } });
    return json({ success: false, error: message, code: invalid ? 'INVALID_PARAMS' : 'UPSTREAM_ERROR', data, latency_ms: latency }, invalid ? 400 : 502);
  }
  logger.error({ err }, 'unhandled error in a REST call');
  return json({ success: false, error: 'internal error', code: 'INTERNAL', latency_ms: latency }, 500);
}

function relayedCode(data: unknown): OutletErrorCode | undefined {
  const code = (data as { outletCode?: unknown } | null | undefined)?.outletCode;
  return typeof code === 'string' && Object.hasOwn(ERROR_TABLE, code) ? (code as OutletErrorCode) : undefined;
}
