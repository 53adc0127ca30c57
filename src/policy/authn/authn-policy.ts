import type { AuthConfig } from '../../config/auth-schema.js';
import { OutletError } from '../../errors/index.js';
import type { CallContext, Middleware, Principal } from '../call-context.js';
import { anonymousPrincipal } from './principal.js';

/** The parts of the `auth` section the chain's authentication reads. */
export type AuthnConfig = Pick<AuthConfig, 'stdio' | 'anonymous' | 'anonymousRoles'> | undefined;

/**
 * Who is calling: the principal the HTTP layer authenticated (credentials are headers, verified
 * there), or else the stdio principal, or the anonymous one. With `auth` on, a request over HTTP
 * without a principal is refused: the HTTP layer answers such requests 401 before any MCP
 * parsing, so this is the backstop.
 */
export function authnPolicy(auth: AuthnConfig): Middleware {
  return (ctx, next) => {
    ctx.principal ??= defaultPrincipal(auth, ctx);
    return next();
  };
}

function defaultPrincipal(auth: AuthnConfig, ctx: CallContext): Principal {
  if (ctx.session.transport === 'stdio') {
    return auth ? { id: auth.stdio.principal, roles: [...auth.stdio.roles], scopes: [], via: 'stdio' } : anonymousPrincipal();
  }
  if (!auth) return anonymousPrincipal();
  if (auth.anonymous) return anonymousPrincipal(auth.anonymousRoles);
  throw new OutletError('UNAUTHENTICATED', 'authentication required');
}
