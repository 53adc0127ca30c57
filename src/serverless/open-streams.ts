import { OutletError } from '../errors/index.js';
import { errorResponse } from '../protocol/error-response.js';

/** The JSON-RPC id of a request body, for an error answer to it (null when the body has none). */
async function idOf(request: Request): Promise<string | number | null> {
  try {
    const id = ((await request.clone().json()) as { id?: unknown } | null)?.id;
    return typeof id === 'string' || typeof id === 'number' ? id : null;
  } catch {
    return null;
  }
}

/**
 * A platform that buffers whole responses (Lambda's BUFFERED mode, Azure Functions without
 * stream support) can answer every MCP POST, whose stream ends with its response, but not a
 * stream that stays open: the invocation would hang until the platform's timeout and the client
 * would get nothing. Those requests are refused at once, each the way its client expects:
 *   - a GET asking for an event stream (the 2025-era standalone stream, a resumption, legacy
 *     /sse): 405, which the spec lets a server answer when it offers no such stream;
 *   - a 2026 `subscriptions/listen` (announced by its Mcp-Method header): METHOD_NOT_FOUND.
 * Returns the refusal, or undefined to serve the request.
 */
export async function refuseOpenStream(request: Request): Promise<Response | undefined> {
  if (request.method === 'GET' && (request.headers.get('accept') ?? '').includes('text/event-stream')) {
    return Response.json(
      { ok: false, error: 'this deployment buffers responses, so it offers no open event stream; use POST requests (notifications need a streaming host)' },
      { status: 405, headers: { allow: 'POST, DELETE' } },
    );
  }
  if (request.method === 'POST' && request.headers.get('mcp-method') === 'subscriptions/listen') {
    return errorResponse(new OutletError('METHOD_NOT_FOUND', 'subscriptions/listen needs a response stream that stays open; this deployment buffers responses'), await idOf(request));
  }
  return undefined;
}
