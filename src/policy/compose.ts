import type { CallContext, Handler, Middleware } from './call-context.js';

/**
 * Runs middlewares in order around a terminal handler, onion-style: work before `await next()`
 * runs on the way in, work after it on the way out in reverse order. Calling `next()` twice is a
 * bug in a policy and fails loudly instead of running the upstream call twice.
 */
export function compose(middlewares: readonly Middleware[], terminal: Handler): Handler {
  if (middlewares.length === 0) return terminal;
  return (ctx: CallContext) => {
    let last = -1;
    const dispatch = (i: number): ReturnType<Handler> => {
      if (i <= last) return Promise.reject(new Error('policy called next() more than once'));
      last = i;
      const mw = middlewares[i];
      // A policy that throws before its first await must still surface as a rejection.
      try {
        return mw ? mw(ctx, () => dispatch(i + 1)) : terminal(ctx);
      } catch (err) {
        return Promise.reject(err instanceof Error ? err : new Error(String(err)));
      }
    };
    return dispatch(0);
  };
}
