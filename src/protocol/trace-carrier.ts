import type { IncomingHttpHeaders } from 'node:http';

/**
 * Where a request's W3C trace context (`traceparent`, `tracestate`, `baggage`) is read from, for
 * its CallContext: the Node request's own header record when the HTTP layer runs on Node, else the
 * Web `Headers`. Under @hono/node-server the Node record is already parsed (the body reader reads
 * `content-length` from it), and a lookup there is a property read, where `Headers.get` validates
 * and normalizes the name on every call: about a microsecond per request on the gateway's hot path,
 * with tracing on (docs/performance.md, "Session 6").
 */
const NODE_HEADERS = Symbol('outlet.nodeHeaders');

type Carried = Request & { [NODE_HEADERS]?: IncomingHttpHeaders };

/** Leaves the Node request's header record on the Web Request the HTTP layer hands on. */
export function attachNodeHeaders(request: Request, headers: IncomingHttpHeaders): void {
  (request as Carried)[NODE_HEADERS] = headers;
}

/** A Request made from another (same headers but for the version header) keeps the original's Node record. */
export function carryNodeHeaders(from: Request, to: Request): Request {
  const headers = (from as Carried)[NODE_HEADERS];
  if (headers) attachNodeHeaders(to, headers);
  return to;
}

/** The request's headers for reading trace context: the Node record when the HTTP layer left one, else the Web Headers. */
export function traceCarrierOf(request: Request): IncomingHttpHeaders | Headers {
  return (request as Carried)[NODE_HEADERS] ?? request.headers;
}
