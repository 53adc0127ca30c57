import { publishError, publishResult, upstreamRequestChannel, type UpstreamRequestContext } from '../../observability/channels.js';
import type { Dispatch, Interceptor, UpstreamCall } from './types.js';

/**
 * Publishes each call on the upstream request channel (src/observability/channels.ts): `start`
 * before the rest of the path runs, so a subscriber may put trace context in `call.params._meta`
 * and the span covers the deadline, the breaker and the queue; then the result or the error.
 * `owner` (the gateway) lets observability record only its own gateway's calls. With no
 * subscriber a call costs one flag check and no extra promise.
 */
export function tracing(owner?: object): Interceptor {
  return (next) => (call) => (upstreamRequestChannel.hasSubscribers ? traced(next, call, owner) : next(call));
}

async function traced(next: Dispatch, call: UpstreamCall, owner: object | undefined): Promise<Record<string, unknown>> {
  // Published directly rather than through tracePromise: see publishResult. `result` and `error`
  // are declared up front, so setting one later neither reshapes the object nor grows it.
  const context = { ctx: call.caller as UpstreamRequestContext['ctx'], call, owner, result: undefined, error: undefined };
  upstreamRequestChannel.start.publish(context);
  try {
    const result = await next(call);
    publishResult(upstreamRequestChannel, context, result);
    return result;
  } catch (err) {
    publishError(upstreamRequestChannel, context, err);
    throw err;
  }
}
