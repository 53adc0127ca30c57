import { fromUpstreamError } from '../../errors/index.js';
import type { Dispatch } from './types.js';

/**
 * The end of every upstream call path: the request on the call's connection. Failures are
 * classified here, inside the path, so a circuit breaker can tell an unwell upstream (timeout,
 * closed connection) from an answer that is an error.
 */
export const send: Dispatch = (call) =>
  call.connection.request(call.method, call.params, call.options).catch((err: unknown) => {
    throw fromUpstreamError(err, call.server);
  });
