import { OutletError } from '../../errors/index.js';
import type { CallContext, Middleware, Principal } from '../call-context.js';
import { recordCall, type AuditSink, type CallDecision } from '../audit/call-audit.js';
import type { AccessRequest, PolicyEngine } from './policy-engine.js';
import { accessOf, notFound, type Targets } from './request-access.js';

export interface AuthzConfig {
  /** Record allowed calls too (`audit.allowed`), not only denials. */
  auditAllowed: boolean;
}

export interface AuthzDeps {
  /** The configured policies (and the default decision). */
  engine: Pick<PolicyEngine, 'decide' | 'describe'>;
  targets: Targets;
  audit: AuditSink;
}

const LISTS: Record<string, { key: 'tools' | 'prompts' | 'resources' | 'resourceTemplates'; kind: 'tool' | 'prompt' | 'resource' }> = {
  'tools/list': { key: 'tools', kind: 'tool' },
  'prompts/list': { key: 'prompts', kind: 'prompt' },
  'resources/list': { key: 'resources', kind: 'resource' },
  // Templates are matched against resource globs by their literal prefix (authz/uri-template-match.ts).
  'resources/templates/list': { key: 'resourceTemplates', kind: 'resource' },
};

/**
 * May this principal touch this tool, prompt or resource. A denied call is answered like an
 * unknown name (a caller learns nothing about what exists); denied entries are removed from the
 * lists on the way out. A rule that needs a scope the credential lacks refuses with
 * INSUFFICIENT_SCOPE, which the HTTP layer answers 403 with its challenge (RFC 6750 section 3.1).
 */
export function authzPolicy(config: AuthzConfig, deps: AuthzDeps): Middleware {
  const audit = (decision: Omit<CallDecision, 'rule'> & { rule?: number | undefined }) => {
    const { rule: index, ...rest } = decision;
    const rule = deps.engine.describe(index);
    recordCall(deps.audit, { ...rest, ...(rule !== undefined ? { rule } : {}) });
  };
  return async (ctx, next) => {
    const principal = ctx.principal!;
    const list = LISTS[ctx.method];
    if (list) return filterList(ctx, principal, list, deps, await next());
    const access = accessOf(ctx, deps.targets);
    if (!access) return next();
    const decision = deps.engine.decide(principal, access);
    if (decision.effect === 'allow') {
      if (config.auditAllowed) audit({ event: 'authz.allow', ctx, access, reason: 'allowed', rule: decision.rule });
      return next();
    }
    if (decision.effect === 'insufficient_scope') {
      audit({ event: 'authz.insufficient_scope', ctx, access, reason: `needs scope ${decision.scopes.join(' ')}`, rule: decision.rule });
      throw new OutletError('INSUFFICIENT_SCOPE', `insufficient scope: this request needs the scope(s) ${decision.scopes.join(' ')}`, { scopes: decision.scopes });
    }
    audit({ event: 'authz.deny', ctx, access, reason: decision.reason, rule: decision.rule });
    throw notFound(ctx, access);
  };
}

type Entry = { name?: unknown; uri?: unknown; uriTemplate?: unknown };

function filterList<R extends Record<string, unknown>>(ctx: CallContext, principal: Principal, list: (typeof LISTS)[string], deps: AuthzDeps, result: R): R {
  const entries = result[list.key];
  if (!Array.isArray(entries)) return result;
  const visible = (entries as Entry[]).filter((entry) => {
    const access = entryAccess(ctx, list.kind, entry, deps.targets);
    return !access || deps.engine.decide(principal, access).effect !== 'deny';
  });
  return visible.length === entries.length ? result : { ...result, [list.key]: visible };
}

/** What a list entry is, as a policy names it (undefined: an entry without a name, left alone). */
function entryAccess(ctx: CallContext, kind: 'tool' | 'prompt' | 'resource', entry: Entry, targets: Targets): AccessRequest | undefined {
  let access: AccessRequest;
  if (kind === 'resource') {
    if (typeof entry.uri === 'string') access = { kind: 'resource', uri: entry.uri };
    else if (typeof entry.uriTemplate === 'string') access = { kind: 'resource', uriTemplate: entry.uriTemplate };
    else return undefined;
    if (ctx.scope.kind === 'server') access.server = ctx.scope.server;
  } else {
    if (typeof entry.name !== 'string') return undefined;
    const t = targets.named(ctx.scope, kind, entry.name);
    access = { kind, name: t.published, ...(t.server !== undefined ? { server: t.server } : {}) };
  }
  if (ctx.scope.kind === 'server' && ctx.scope.inline) access.inline = true;
  return access;
}
