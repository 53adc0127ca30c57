import type { ObservationSlot, ObservedRequest } from './observed-request.js';
import { recordOf } from './request-record.js';
import type { Attributes } from './spans.js';

/**
 * What transports call on the request they are serving: more span attributes, and the fields that
 * tie their log lines to it. Kept apart from install.ts so a caller loads neither the metrics
 * (prom-client) nor the trace exporters.
 */

/**
 * Adds attributes to the span of the request being handled (what a transport learned that the
 * chain cannot: an `/rpc` instance was warm or cold). A no-op when it is not traced.
 */
export function annotateRequest(ctx: ObservationSlot, attributes: Attributes): void {
  const rec = recordOf(ctx);
  rec?.span?.setAttributes(attributes);
}

/**
 * Fields that tie a log line to the request being handled (request id, trace id, session,
 * principal): `logger.child(requestLogFields(ctx))`.
 */
export function requestLogFields(ctx: ObservedRequest): Record<string, string> {
  const rec = recordOf(ctx);
  const out: Record<string, string> = {};
  if (rec) out.reqId = rec.requestId;
  if (rec?.traceId) out.traceId = rec.traceId;
  if (ctx.session.id) out.session = ctx.session.id;
  if (ctx.principal) out.principal = ctx.principal.id;
  return out;
}
