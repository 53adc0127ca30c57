import type { Result, Tool } from '@modelcontextprotocol/server';
import type { AccessRequest, Decision } from './authz/policy-engine.js';
import type { NamedTarget } from './authz/targets.js';
import { OutletError } from '../errors/index.js';
import type { CallContext, Middleware, Principal } from './call-context.js';

/**
 * The security policies of the chain (issue 7), as `(ctx, next)` middlewares over the engines in
 * `src/auth`: authentication (2), authorization (3) and tool pins (3b), rate limits (4) and
 * argument validation (5). Each one is a pass-through when its config section is absent.
 */

/** ctx.state key: the rate-limit tokens of this request were drawn by the HTTP layer already. */
export const RATE_CHARGED = 'security.rateCharged';
const ACCESS = 'security.access';

/** What the policies need from the security runtime (the current config's engines). */
export interface SecurityPolicyDeps {
  /** Anything configured at all (auth, policies, limits, pins)? When false every policy passes through. */
  active(): boolean;
  /** The principal for a request that reached the chain without one (stdio, or auth off), or an error. */
  defaultPrincipal(ctx: CallContext): Principal;
  /** The access a request asks for (memoized per request by the policies). */
  accessFor(ctx: CallContext): AccessRequest | undefined;
  /** Authorization decision, or undefined when no authorization is configured. */
  decide(principal: Principal, access: AccessRequest): Decision | undefined;
  /** A published tool, prompt's server and own name, on the request's endpoint. */
  named(ctx: CallContext, kind: 'tool' | 'prompt', name: string): NamedTarget;
  /** The tool definition as the catalog holds it on that endpoint (after start-up, when servers are still connecting). */
  toolDefinition(ctx: CallContext, name: string): Promise<Tool | undefined>;
  /** Whether an unknown tool must be refused (pins enforced: what cannot be checked is not served). */
  refuseUnknownTools(): boolean;
  /** Pin verdict for a tool, or 'ok' when pinning is off. */
  pinVerdict(server: string | undefined, tool: Tool, ownName: string, published: string): 'ok' | 'withhold';
  /** Draws rate-limit tokens; resolves to a refusal or undefined. */
  rateLimit(principal: Principal, ctx: CallContext, access: AccessRequest | undefined): Promise<{ retryAfterSeconds: number; message: string } | undefined>;
  /** Throws INVALID_PARAMS when arguments do not fit the tool's schema (no-op when validation is off for that server). */
  validateArguments(server: string | undefined, published: string, tool: Tool | undefined, args: unknown): void;
  /** Content limits for requests that did not come through the HTTP layer (which checks them itself). */
  checkInput(ctx: CallContext): void;
  /** Records a security event. */
  audit(event: { event: 'authz.deny' | 'authz.insufficient_scope' | 'authz.allow' | 'rate.limited'; ctx: CallContext; access?: AccessRequest; reason: string; rule?: string }): void;
}

function accessOf(ctx: CallContext, deps: SecurityPolicyDeps): AccessRequest | undefined {
  if (ctx.state.has(ACCESS)) return ctx.state.get(ACCESS) as AccessRequest | undefined;
  const access = deps.accessFor(ctx);
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

/** 2. Who is calling: the HTTP layer's principal, or the stdio / anonymous one. */
export function authenticatePolicy(deps: SecurityPolicyDeps): Middleware {
  return (ctx, next) => {
    if (!deps.active()) return next();
    ctx.principal ??= deps.defaultPrincipal(ctx);
    return next();
  };
}

const LISTS: Record<string, { key: 'tools' | 'prompts' | 'resources' | 'resourceTemplates'; kind: 'tool' | 'prompt' | 'resource' }> = {
  'tools/list': { key: 'tools', kind: 'tool' },
  'prompts/list': { key: 'prompts', kind: 'prompt' },
  'resources/list': { key: 'resources', kind: 'resource' },
  // Templates are matched against resource globs by their literal prefix (src/auth/uri-template-match.ts).
  'resources/templates/list': { key: 'resourceTemplates', kind: 'resource' },
};

/**
 * 3. May this principal touch this tool, prompt or resource. A denied call is answered like an
 * unknown name; denied entries are removed from the lists on the way out (no router change).
 */
export function authorizePolicy(deps: SecurityPolicyDeps): Middleware {
  return async (ctx, next) => {
    if (!deps.active()) return next();
    const principal = ctx.principal!;
    const list = LISTS[ctx.method];
    if (list) {
      const result = await next();
      const entries = (result as Record<string, unknown>)[list.key];
      if (!Array.isArray(entries)) return result;
      const visible = entries.filter((entry: { name?: unknown; uri?: unknown; uriTemplate?: unknown }) => {
        let access: AccessRequest;
        if (list.kind === 'resource') {
          if (typeof entry.uri === 'string') access = { kind: 'resource', uri: entry.uri };
          else if (typeof entry.uriTemplate === 'string') access = { kind: 'resource', uriTemplate: entry.uriTemplate };
          else return true;
          const server = ctx.scope.kind === 'server' ? ctx.scope.server : undefined;
          if (server !== undefined) access.server = server;
        } else {
          if (typeof entry.name !== 'string') return true;
          const t = deps.named(ctx, list.kind, entry.name);
          access = { kind: list.kind, name: t.published, ...(t.server !== undefined ? { server: t.server } : {}) };
        }
        if (ctx.scope.kind === 'server' && ctx.scope.inline) access.inline = true;
        const decision = deps.decide(principal, access);
        return decision === undefined || decision.effect !== 'deny';
      });
      return visible.length === entries.length ? result : { ...result, [list.key]: visible };
    }
    const access = accessOf(ctx, deps);
    if (!access) return next();
    const decision = deps.decide(principal, access);
    if (!decision || decision.effect === 'allow') {
      if (decision) deps.audit({ event: 'authz.allow', ctx, access, reason: 'allowed', ...(decision.rule !== undefined ? { rule: String(decision.rule) } : {}) });
      return next();
    }
    if (decision.effect === 'insufficient_scope') {
      const reason = `needs scope ${decision.scopes.join(' ')}`;
      deps.audit({ event: 'authz.insufficient_scope', ctx, access, reason, rule: String(decision.rule) });
      throw new OutletError('INSUFFICIENT_SCOPE', `insufficient scope: this request needs the scope(s) ${decision.scopes.join(' ')}`, { scopes: decision.scopes });
    }
    deps.audit({ event: 'authz.deny', ctx, access, reason: decision.reason, ...(decision.rule !== undefined ? { rule: String(decision.rule) } : {}) });
    throw notFound(ctx, access);
  };
}

/** 3b. Is this tool's definition the approved one: changed or unapproved tools are withheld. */
export function toolPinPolicy(deps: SecurityPolicyDeps): Middleware {
  return async (ctx, next) => {
    if (!deps.active()) return next();
    if (ctx.method === 'tools/call' && ctx.toolName !== undefined) {
      const tool = await deps.toolDefinition(ctx, ctx.toolName);
      // A per-server call goes to the upstream without the catalog: with pins enforced, a tool
      // whose definition the gateway has not seen cannot be checked, so it is not served.
      if (!tool && ctx.scope.kind === 'server' && deps.refuseUnknownTools()) {
        throw new OutletError('UNKNOWN_TOOL', `Unknown tool "${ctx.toolName}"`, { tool: ctx.toolName });
      }
      if (tool) {
        const t = deps.named(ctx, 'tool', ctx.toolName);
        if (deps.pinVerdict(t.server, tool, t.name, t.published) === 'withhold') {
          throw new OutletError('TOOL_WITHHELD', `tool "${ctx.toolName}" is withheld: its definition changed since it was approved (or was never approved); an operator re-approves it with \`outlet pin\``, {
            tool: ctx.toolName,
          });
        }
      }
      return next();
    }
    if (ctx.method !== 'tools/list') return next();
    const result = await next();
    const tools = (result as { tools?: unknown }).tools;
    if (!Array.isArray(tools)) return result;
    const kept = (tools as Tool[]).filter((tool) => {
      const t = deps.named(ctx, 'tool', tool.name);
      return deps.pinVerdict(t.server, tool, t.name, t.published) === 'ok';
    });
    return kept.length === tools.length ? result : ({ ...result, tools: kept } as Result);
  };
}

/** 4. Rate limits, after authorization so a denied call never drains a bucket. */
export function rateLimitPolicy(deps: SecurityPolicyDeps): Middleware {
  return async (ctx, next) => {
    if (!deps.active() || ctx.state.get(RATE_CHARGED) === true) return next();
    const refusal = await deps.rateLimit(ctx.principal!, ctx, accessOf(ctx, deps));
    if (refusal) {
      deps.audit({ event: 'rate.limited', ctx, reason: refusal.message });
      throw new OutletError('RATE_LIMITED', refusal.message, { retryAfterSeconds: refusal.retryAfterSeconds });
    }
    return next();
  };
}

/** 5b. Arguments against the tool's input schema, and content limits for non-HTTP requests. */
export function validateArgumentsPolicy(deps: SecurityPolicyDeps): Middleware {
  return async (ctx, next) => {
    deps.checkInput(ctx);
    if (ctx.method === 'tools/call' && ctx.toolName !== undefined) {
      const t = deps.named(ctx, 'tool', ctx.toolName);
      deps.validateArguments(t.server, ctx.toolName, await deps.toolDefinition(ctx, ctx.toolName), ctx.params.arguments);
    }
    return next();
  };
}
