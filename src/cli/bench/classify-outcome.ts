import { ProtocolError, SdkError } from '@modelcontextprotocol/client';
import type { CallOutcome, ErrorClass } from './bench-types.js';

const MAX_MESSAGE = 160;

/** A `tools/call` result: `isError: true` is the tool's own failure, reported apart from protocol errors. */
export function classifyResult(result: { isError?: boolean; content?: unknown }): CallOutcome {
  if (result.isError !== true) return { ok: true };
  return { ok: false, error: { kind: 'tool', label: 'tool error (isError)' }, message: shortMessage(firstText(result.content) ?? 'the tool reported an error') };
}

/**
 * A thrown error, grouped so that a thousand identical failures make one line: JSON-RPC errors by
 * code and the outlet's `data.outletCode`; everything else (refused, DNS, HTTP status, timeout,
 * closed connection) as a transport failure named by its most specific cause.
 */
export function classifyError(err: unknown): { error: ErrorClass; message: string } {
  if (err instanceof ProtocolError) {
    const outletCode = outletCodeOf(err.data);
    const label = `JSON-RPC ${err.code}${outletCode ? ` ${outletCode}` : ''}`;
    return { error: { kind: 'rpc', label, rpcCode: err.code, ...(outletCode ? { outletCode } : {}) }, message: shortMessage(err.message) };
  }
  return { error: { kind: 'transport', label: `transport ${transportCause(err)}` }, message: shortMessage(describeChain(err)) };
}

function transportCause(err: unknown): string {
  const status = httpStatusOf(err);
  if (status !== undefined) return `HTTP ${status}`;
  if (err instanceof Error && err.name === 'UnauthorizedError') return 'HTTP 401';
  // A system error code deep in the cause chain (ECONNREFUSED, ENOTFOUND) names the problem best;
  // the SDK's own code (REQUEST_TIMEOUT, CONNECTION_CLOSED) comes next.
  for (const e of causeChain(err).reverse()) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^E[A-Z0-9_]+$/.test(code)) return code;
  }
  if (err instanceof SdkError) return err.code;
  return err instanceof Error ? err.name : 'failure';
}

function httpStatusOf(err: unknown): number | undefined {
  for (const e of causeChain(err)) {
    const data = (e as { data?: unknown }).data;
    const status = typeof data === 'object' && data !== null ? (data as { status?: unknown }).status : undefined;
    if (typeof status === 'number') return status;
  }
  return undefined;
}

function outletCodeOf(data: unknown): string | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const code = (data as { outletCode?: unknown }).outletCode;
  return typeof code === 'string' ? code : undefined;
}

function causeChain(err: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let e: unknown = err; e !== undefined && e !== null && chain.length < 8; e = (e as { cause?: unknown }).cause) chain.push(e);
  return chain;
}

/** "fetch failed" alone hides the reason; append the innermost message when it says something new. */
function describeChain(err: unknown): string {
  const chain = causeChain(err);
  const outer = messageOf(chain[0]);
  const inner = messageOf(chain[chain.length - 1]);
  return chain.length > 1 && inner && !outer.includes(inner) ? `${outer} (${inner})` : outer;
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function firstText(content: unknown): string | undefined {
  if (!Array.isArray(content)) return undefined;
  for (const block of content as unknown[]) {
    const text = (block as { type?: unknown; text?: unknown } | null)?.text;
    if (typeof text === 'string') return text;
  }
  return undefined;
}

/**
 * One short printable line: error messages come from remote servers and land in terminals and
 * reports, so control characters (escape sequences included) are replaced and length is capped.
 */
export function shortMessage(text: string): string {
  // eslint-disable-next-line no-control-regex
  const flat = text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ').replace(/\s+/g, ' ').trim();
  return flat.length > MAX_MESSAGE ? `${flat.slice(0, MAX_MESSAGE - 1)}…` : flat;
}
