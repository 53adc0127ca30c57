import { OutletError } from '../errors/index.js';
import type { Middleware } from './call-context.js';

// Control characters (C0, DEL, C1) and bidi overrides have no place in a tool, prompt or URI name:
// they are how names are made to look like other names in a client's UI.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE_NAME = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/**
 * Request validation that the SDK's own schema check does not cover: the SDK already checked the
 * message shape before our handler ran (so it is not re-validated here, per the hot-path rule),
 * this policy checks the names the router is about to trust.
 */
export const validateRequest: Middleware = (ctx, next) => {
  const name = ctx.toolName ?? ctx.promptName;
  if (name !== undefined && (name.length === 0 || UNSAFE_NAME.test(name))) {
    throw new OutletError('INVALID_PARAMS', `params.name: invalid name ${JSON.stringify(name)}`, { path: 'params.name' });
  }
  if (ctx.resourceUri !== undefined && (ctx.resourceUri.length === 0 || UNSAFE_NAME.test(ctx.resourceUri))) {
    throw new OutletError('INVALID_PARAMS', `params.uri: invalid URI ${JSON.stringify(ctx.resourceUri)}`, { path: 'params.uri' });
  }
  return next();
};
