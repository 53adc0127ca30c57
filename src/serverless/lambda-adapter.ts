import { serveWith, type ServerlessOutlet } from './app-factory.js';
import { requestFromEvent } from './lambda-events.js';
import { errorResult, resultFor, type LambdaResult } from './lambda-result.js';
import { refuseOpenStream } from './open-streams.js';

/** An async Lambda handler: the runtime awaits the promise, so upstream processes left running do not delay the answer. */
export type LambdaHandler = (event: unknown, context?: unknown) => Promise<LambdaResult>;

/**
 * A Lambda handler over the outlet's HTTP app for API Gateway REST (payload 1.0), HTTP API
 * (payload 2.0) and Function URL events, answering in the event's own result format. It never
 * throws: a thrown handler error reaches the caller as an opaque 502 from API Gateway, while a
 * result with a status and a reason tells the caller what went wrong.
 */
export function createLambdaHandler(outlet: () => Promise<ServerlessOutlet>): LambdaHandler {
  return async (event) => {
    const decoded = requestFromEvent(event);
    if (!decoded.ok) return errorResult(400, decoded.reason);
    try {
      const response = (await refuseOpenStream(decoded.request)) ?? (await serveWith(outlet, decoded.request));
      return await resultFor(response, decoded.format);
    } catch (err) {
      return errorResult(500, `internal error: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
}
