import type { AuthInfo } from '@modelcontextprotocol/server';
import type { Principal } from '../call-context.js';

/**
 * How an authenticated principal travels from the HTTP layer to the policy chain: the HTTP layer
 * passes an `AuthInfo` to the SDK transport (`handleRequest(req, { authInfo })`), the SDK hands it
 * to the request handler as `ctx.http.authInfo`, and the gateway server reads the principal back
 * from `authInfo.extra[OUTLET_AUTH]`. The raw token stays in `authInfo.token`, which nothing logs
 * and the CallContext never carries.
 */
export const OUTLET_AUTH = 'mcp-outlet/auth';

/** The outlet's part of `AuthInfo.extra`. */
export interface OutletAuthExtra {
  principal: Principal;
}

export const ANONYMOUS_ID = 'anonymous';

export function anonymousPrincipal(roles: readonly string[] = ['anonymous']): Principal {
  return { id: ANONYMOUS_ID, roles: [...roles], scopes: [], via: 'anonymous' };
}

/** Wraps a principal in the AuthInfo the SDK passes through (a fresh object per HTTP request). */
export function authInfoFor(principal: Principal, base?: AuthInfo): AuthInfo {
  const extra: OutletAuthExtra = { principal };
  return {
    token: base?.token ?? '',
    clientId: base?.clientId ?? principal.id,
    scopes: base?.scopes ?? principal.scopes ?? [],
    ...(base?.expiresAt !== undefined ? { expiresAt: base.expiresAt } : {}),
    ...(base?.resource !== undefined ? { resource: base.resource } : {}),
    ...(base?.resourceMetadataUrl !== undefined ? { resourceMetadataUrl: base.resourceMetadataUrl } : {}),
    extra: { ...base?.extra, [OUTLET_AUTH]: extra },
  };
}

/** The outlet's view of an AuthInfo the SDK handed back, if the outlet made it. */
export function outletAuthOf(authInfo: AuthInfo | undefined): OutletAuthExtra | undefined {
  const extra = authInfo?.extra?.[OUTLET_AUTH] as OutletAuthExtra | undefined;
  return extra && typeof extra === 'object' && typeof extra.principal?.id === 'string' ? extra : undefined;
}

/** Reads a dotted path (`realm_access.roles`) out of claims or a call's arguments: own properties only, never the prototype chain. */
export function claimAt(claims: Record<string, unknown> | undefined, path: string): unknown {
  if (!claims) return undefined;
  if (Object.hasOwn(claims, path)) return claims[path];
  let node: unknown = claims;
  for (const part of path.split('.')) {
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, part)) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

/** A claim that lists things: an array of strings, or one space- or comma-separated string. */
export function stringList(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string' && v.length > 0);
  if (typeof value === 'string') return value.split(/[\s,]+/).filter(Boolean);
  return [];
}
