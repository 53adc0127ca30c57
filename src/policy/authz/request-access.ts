import { OutletError } from '../../errors/index.js';
import type { CallContext } from '../call-context.js';
import type { AccessRequest } from './policy-engine.js';
import type { TargetResolver } from './targets.js';

/** How policies name what a request touches (the catalog's names, on the request's endpoint). */
export type Targets = Pick<TargetResolver, 'accessFor' | 'named'>;

const ACCESS = 'policy.access';

/** The access a request asks for, resolved once per request (authorization and rate limits both read it). */
export function accessOf(ctx: CallContext, targets: Targets): AccessRequest | undefined {
  if (ctx.state.has(ACCESS)) return ctx.state.get(ACCESS) as AccessRequest | undefined;
  const access = targets.accessFor(ctx.scope, ctx.method, ctx.params);
  ctx.state.set(ACCESS, access);
  return access;
}

/** A denial looks exactly like a miss: the same code, message and data as for a name that does not exist. */
export function notFound(ctx: CallContext, access: AccessRequest): OutletError {
  if (access.kind === 'tool') {
    const name = String(ctx.params.name);
    return new OutletError('UNKNOWN_TOOL', `Unknown tool "${name}"`, { tool: name });
  }
  if (access.kind === 'prompt') {
    const ref = ctx.params.ref as { name?: unknown } | undefined;
    const name = String(ctx.method === 'completion/complete' ? ref?.name : ctx.params.name);
    return new OutletError('UNKNOWN_PROMPT', `Unknown prompt "${name}"`, { prompt: name });
  }
  return new OutletError('UNKNOWN_RESOURCE', `Unknown resource "${access.uri ?? ''}"`, { uri: access.uri ?? '' });
}
