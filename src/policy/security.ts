import type { AuthInfo, Tool } from '@modelcontextprotocol/server';
import type { Catalog } from '../catalog/index.js';
import { OutletError, isOutletError, jsonRpcErrorBody } from '../errors/index.js';
import type { Logger } from '../observability/logger.js';
import type { Middleware, Principal, RequestScope } from './call-context.js';
import {
  authenticatePolicy,
  authorizePolicy,
  rateLimitPolicy,
  toolPinPolicy,
  validateArgumentsPolicy,
  type SecurityPolicyDeps,
} from './security-policies.js';
import { ArgumentValidator } from './limits/argument-validator.js';
import { DEFAULT_INPUT_LIMITS, type InputLimitsConfig, type SecuritySections } from '../config/auth-schema.js';
import { HttpAuthenticator, type AuthOutcome } from './authn/authenticator.js';
import { checkInputLimits } from './limits/input-limits.js';
import { PinStore } from './pins/pin-store.js';
import { PolicyEngine, type AccessRequest, type Decision } from './authz/policy-engine.js';
import { anonymousPrincipal, authInfoFor, outletAuthOf } from './authn/principal.js';
import { RateLimiter, type RateLimitStore } from './rate-limit/rate-limit.js';
import { createRateLimitStore } from './rate-limit/rate-limit-store.js';
import { SecurityAudit, type SecurityEvent } from './audit/security-audit.js';
import { TargetResolver } from './authz/targets.js';

/** The parts of the gateway config security reads: its own sections plus names and prefixes. */
export interface SecurityConfig extends SecuritySections {
  namespace: { separator: string };
  servers: Record<string, { prefix: string; enabled: boolean }>;
}

export interface SecurityDeps {
  logger?: Logger;
  /** The merged catalog as of now (target resolution, tool schemas for validation and pins). */
  catalog?: () => Catalog | undefined;
  /** Where rate-limit buckets live (default: what `rateLimits.store` says; in memory without it). */
  rateLimitStore?: RateLimitStore;
  clock?: () => number;
  /** Receives every security event as well as the audit file (tests, embedding applications). */
  onEvent?: (event: SecurityEvent) => void;
  /**
   * Resolves once the servers still on their first connection have connected (bounded), so a
   * call that arrives at start-up is checked against its tool's definition rather than let
   * through unchecked. The gateway passes `() => supervisor.waitForStartup(startup.listWaitMs)`.
   */
  whenStarted?: () => Promise<void>;
}

/** The chain's security policies, in chain order. */
export interface SecurityPolicies {
  authenticate: Middleware;
  authorize: Middleware;
  pins: Middleware;
  rateLimit: Middleware;
  validateArguments: Middleware;
}

/** What the HTTP layer hands an endpoint with each request. */
export interface InboundSecurity {
  /** For the SDK transport (`handleRequest(req, { authInfo })`); carries the principal. */
  authInfo?: AuthInfo;
  /** A 2025-era session stays bound to the principal that opened it. */
  principalId?: string;
  /** Checks one parsed message before the SDK sees it; a Response refuses it. */
  admit(body: unknown): Promise<Response | undefined>;
}

interface State {
  config: SecurityConfig;
  active: boolean;
  authenticator?: HttpAuthenticator;
  engine?: PolicyEngine;
  limiter: RateLimiter;
  pins?: PinStore;
  limits: InputLimitsConfig;
  audit: SecurityAudit;
  prefixes: Map<string, string>;
}

const requestIdOf = (body: unknown): string | number | null => {
  const id = (body as { id?: unknown } | null)?.id;
  return typeof id === 'string' || typeof id === 'number' ? id : null;
};

function rpcResponse(err: OutletError, id: string | number | null, headers: Record<string, string> = {}): Response {
  return new Response(jsonRpcErrorBody(err, id), { status: err.httpStatus, headers: { 'content-type': 'application/json', ...headers } });
}

/**
 * Everything issue 7 adds, built from the config: the HTTP authenticator (API keys, JWT, the
 * RFC 9728 metadata), the chain's policies, rate limits, input limits, tool pins and the audit
 * trail. Created once per gateway; `reload(config)` swaps the engines (buckets persist).
 *
 * With none of the sections configured it is inert: no authentication, every policy passes
 * through, and only the default input limits apply.
 */
export class Security {
  private state: State;
  private store: RateLimitStore;
  private readonly validator: ArgumentValidator;
  private readonly targets: TargetResolver;
  readonly policies: SecurityPolicies;

  constructor(
    config: SecurityConfig,
    private readonly deps: SecurityDeps = {},
  ) {
    this.store = deps.rateLimitStore ?? createRateLimitStore(config.rateLimitStore, deps.logger);
    this.validator = new ArgumentValidator(undefined, (tool, reason) => deps.logger?.warn({ tool, reason }, 'tool input schema cannot be compiled; its arguments are not checked by the gateway'));
    this.state = this.build(config);
    this.targets = new TargetResolver({
      catalog: () => deps.catalog?.(),
      separator: () => this.state.config.namespace.separator,
      prefixes: () => this.state.prefixes,
    });
    const policyDeps = this.policyDeps();
    this.policies = {
      authenticate: authenticatePolicy(policyDeps),
      authorize: authorizePolicy(policyDeps),
      pins: toolPinPolicy(policyDeps),
      rateLimit: rateLimitPolicy(policyDeps),
      validateArguments: validateArgumentsPolicy(policyDeps),
    };
  }

  /** True when some security section is configured (otherwise the gateway behaves as before issue 7). */
  get active(): boolean {
    return this.state.active;
  }

  /**
   * Whether policies grant `principal` the use of inline /rpc servers (target `rpc:inline`);
   * undefined without a policy engine. A refusal goes to the audit trail like any denial.
   */
  inlineDecision(principal: Principal): Decision | undefined {
    const engine = this.state.engine;
    const decision = engine?.decide(principal, { kind: 'rpc', name: 'inline' });
    if (engine && decision && decision.effect !== 'allow') {
      const reason = decision.effect === 'deny' ? decision.reason : `needs scope ${decision.scopes.join(' ')}`;
      const rule = engine.describe(decision.rule);
      this.record({ event: 'authz.deny', principal, target: { path: '/rpc', method: 'rpc:inline' }, decision: 'deny', reason, ...(rule ? { rule } : {}) });
    }
    return decision;
  }

    /** True when requests need credentials (an `auth` section). */
  get authEnabled(): boolean {
    return this.state.authenticator !== undefined;
  }

  /** Roles that may use /api/* (undefined when auth is off: the API is as open as before). */
  get adminRoles(): readonly string[] | undefined {
    return this.state.config.auth?.adminRoles;
  }

  get inputLimits(): InputLimitsConfig {
    return this.state.limits;
  }

  /** Paths that skip authentication (the configured public ones and the resource metadata). */
  isPublicPath(pathname: string): boolean {
    return !this.state.authenticator || this.state.authenticator.isPublic(pathname);
  }

  /** The RFC 9728 protected-resource metadata, for `GET /.well-known/oauth-protected-resource[...]`. */
  metadataResponse(request: Request): Response | undefined {
    return this.state.authenticator?.metadata.response(request);
  }

  /**
   * Authenticates an HTTP request. Without an `auth` section: no credentials needed; when other
   * sections are active the request runs as the anonymous principal.
   */
  async authenticate(request: Request): Promise<AuthOutcome | { ok: true; principal?: undefined; authInfo?: undefined }> {
    const { authenticator, active } = this.state;
    if (authenticator) return authenticator.authenticate(request);
    if (!active) return { ok: true };
    const principal = anonymousPrincipal();
    return { ok: true, principal, authInfo: authInfoFor(principal) };
  }

  /**
   * The per-request part the HTTP layer gives an MCP endpoint: the AuthInfo for the SDK, the
   * principal a session is bound to, and the admission check of each parsed body.
   */
  inbound(path: string, scope: RequestScope, outcome: { principal?: Principal; authInfo?: AuthInfo }): InboundSecurity {
    return {
      ...(outcome.authInfo ? { authInfo: outcome.authInfo } : {}),
      ...(outcome.principal ? { principalId: outcome.principal.id } : {}),
      admit: (body) => this.admit(path, scope, body, outcome.authInfo),
    };
  }

  /**
   * Checks one parsed HTTP message before the SDK sees it, where an HTTP status can still be set:
   * content limits (400), a policy that needs a scope the token lacks (403 insufficient_scope
   * with its challenge), a rate limit (429 with Retry-After). A denied or withheld call is let
   * through without drawing tokens: the chain answers it like an unknown name.
   */
  async admit(path: string, scope: RequestScope, body: unknown, authInfo: AuthInfo | undefined): Promise<Response | undefined> {
    const state = this.state;
    try {
      checkInputLimits(body, state.limits);
    } catch (err) {
      if (!isOutletError(err)) throw err;
      this.record({ event: 'input.rejected', principal: outletAuthOf(authInfo)?.principal ?? null, target: { path }, decision: 'deny', reason: err.message });
      return rpcResponse(err, requestIdOf(body));
    }
    const outlet = outletAuthOf(authInfo);
    if (!state.active || !outlet) return undefined;
    const message = body as { method?: unknown; params?: unknown; id?: unknown };
    if (typeof message?.method !== 'string' || message.id === undefined) return undefined;
    const params = message.params !== null && typeof message.params === 'object' ? (message.params as Record<string, unknown>) : {};
    const access = this.targets.accessFor(scope, message.method, params);
    const principal = outlet.principal;
    if (access && state.engine) {
      const decision = state.engine.decide(principal, access);
      if (decision.effect === 'deny') return undefined;
      if (decision.effect === 'insufficient_scope' && state.authenticator) {
        this.record({
          event: 'authz.insufficient_scope',
          principal,
          target: { path, method: message.method, ...targetOf(access) },
          decision: 'deny',
          reason: `needs scope ${decision.scopes.join(' ')}`,
          ...(state.engine.describe(decision.rule) ? { rule: state.engine.describe(decision.rule)! } : {}),
        });
        return state.authenticator.insufficientScope(path, decision.scopes, 'this request needs more scope');
      }
    }
    if (message.method === 'tools/call' && state.pins?.active && typeof params.name === 'string') {
      const tool = this.toolDefinition(scope, params.name);
      const t = this.targets.named(scope, 'tool', params.name);
      if (tool && this.pinVerdict(t.server, tool, t.name, t.published) === 'withhold') return undefined;
    }
    if (!state.limiter.configured) return undefined;
    const refusal = await this.rateLimit(principal, message.method, access);
    if (refusal) {
      this.record({ event: 'rate.limited', principal, target: { path, method: message.method, ...(access ? targetOf(access) : {}) }, decision: 'limit', reason: refusal.message });
      const err = new OutletError('RATE_LIMITED', refusal.message, { retryAfterSeconds: refusal.retryAfterSeconds });
      return rpcResponse(err, requestIdOf(body), { 'retry-after': String(refusal.retryAfterSeconds) });
    }
    outlet.preflight.charged = true;
    return undefined;
  }

  /** Applies a new config (after a reload). Rate-limit buckets carry over unless the store changed. */
  reload(config: SecurityConfig): void {
    const previous = this.state;
    if (!this.deps.rateLimitStore && JSON.stringify(previous.config.rateLimitStore) !== JSON.stringify(config.rateLimitStore)) {
      const old = this.store;
      this.store = createRateLimitStore(config.rateLimitStore, this.deps.logger);
      void Promise.resolve(old.close?.()).catch(() => undefined);
    }
    this.state = this.build(config, previous);
    if (previous.audit !== this.state.audit) void previous.audit.close();
    if (previous.pins && previous.pins !== this.state.pins) previous.pins.close();
  }

  async close(): Promise<void> {
    this.state.pins?.close();
    await this.state.audit.close();
    await this.store.close?.();
  }

  private build(config: SecurityConfig, previous?: State): State {
    const auditFile = config.audit?.file;
    const audit =
      previous && previous.config.audit?.file === auditFile
        ? previous.audit
        : new SecurityAudit(auditFile, this.deps.logger, this.deps.onEvent);
    const active = Boolean(config.auth || config.policies?.length || config.rateLimits?.length || (config.pinning && config.pinning.mode !== 'off'));
    const prefixes = new Map<string, string>();
    for (const [name, server] of Object.entries(config.servers)) if (server.enabled) prefixes.set(name, server.prefix);
    const samePins = previous?.pins && JSON.stringify(previous.config.pinning) === JSON.stringify(config.pinning);
    if (config.auth && !config.policies?.length && config.auth.defaultDecision === 'deny') {
      this.deps.logger?.warn('auth is on and no policies are configured: every tool call, prompt and resource read is denied (add policies, or set auth.defaultDecision to "allow")');
    }
    return {
      config,
      active,
      ...(config.auth ? { authenticator: new HttpAuthenticator(config.auth, audit) } : {}),
      ...(config.auth || config.policies?.length ? { engine: new PolicyEngine(config.policies ?? [], config.auth ? config.auth.defaultDecision : 'allow') } : {}),
      limiter: new RateLimiter(config.rateLimits ?? [], this.store, this.deps.clock),
      ...(config.pinning && config.pinning.mode !== 'off' ? { pins: samePins ? previous.pins! : new PinStore(config.pinning, audit, this.deps.clock) } : {}),
      limits: config.inputLimits ?? DEFAULT_INPUT_LIMITS,
      audit,
      prefixes,
    };
  }

  private record(event: Parameters<SecurityAudit['record']>[0]): void {
    this.state.audit.record(event);
  }

  private toolDefinition(scope: RequestScope, name: string): Tool | undefined {
    const catalog = this.deps.catalog?.();
    if (!catalog) return undefined;
    return scope.kind === 'server' ? catalog.serverTool(scope.server, name) : catalog.tool(name);
  }

  private pinVerdict(server: string | undefined, tool: Tool, ownName: string, published: string): 'ok' | 'withhold' {
    const pins = this.state.pins;
    if (!pins || server === undefined) return 'ok';
    return pins.check(server, { ...tool, name: ownName }, published);
  }

  private async rateLimit(principal: Principal, method: string, access: AccessRequest | undefined) {
    const decision = await this.state.limiter.take({
      principal,
      method,
      ...(access?.server !== undefined ? { server: access.server } : {}),
      ...(access?.name !== undefined ? { target: access.name } : access?.uri !== undefined ? { target: access.uri } : {}),
    });
    return decision.ok ? undefined : { retryAfterSeconds: decision.retryAfterSeconds, message: decision.message };
  }

  private policyDeps(): SecurityPolicyDeps {
    return {
      active: () => this.state.active,
      defaultPrincipal: (ctx) => {
        const auth = this.state.config.auth;
        if (ctx.session.transport === 'stdio') {
          return auth ? { id: auth.stdio.principal, roles: [...auth.stdio.roles], scopes: [], via: 'stdio' } : anonymousPrincipal();
        }
        if (!auth) return anonymousPrincipal();
        if (auth.anonymous) return anonymousPrincipal(auth.anonymousRoles);
        // The HTTP layer refuses such requests before the SDK sees them; this is the backstop.
        throw new OutletError('UNAUTHENTICATED', 'authentication required');
      },
      accessFor: (ctx) => this.targets.accessFor(ctx.scope, ctx.method, ctx.params),
      decide: (principal, access) => this.state.engine?.decide(principal, access),
      named: (ctx, kind, name) => this.targets.named(ctx.scope, kind, name),
      toolDefinition: async (ctx, name) => {
        const known = this.toolDefinition(ctx.scope, name);
        if (known || !this.deps.whenStarted) return known;
        await this.deps.whenStarted();
        return this.toolDefinition(ctx.scope, name);
      },
      refuseUnknownTools: () => this.state.pins?.active === true && this.state.config.pinning?.mode === 'enforce',
      pinVerdict: (server, tool, ownName, published) => this.pinVerdict(server, tool, ownName, published),
      rateLimit: (principal, ctx, access) => (this.state.limiter.configured ? this.rateLimit(principal, ctx.method, access) : Promise.resolve(undefined)),
      validateArguments: (server, published, tool, args) => {
        const limits = this.state.limits;
        const enabled = (server !== undefined ? limits.servers[server]?.validateArguments : undefined) ?? limits.validateArguments;
        if (enabled && tool) this.validator.check(published, tool.inputSchema as Record<string, unknown> | undefined, args);
      },
      checkInput: (ctx) => {
        // MCP over HTTP was checked by admit() before the SDK parsed it; every other way in is checked here.
        if (ctx.session.transport !== 'streamable-http' && ctx.session.transport !== 'sse') checkInputLimits(ctx.params, this.state.limits);
      },
      audit: ({ event, ctx, access, reason, rule }) => {
        if (event === 'authz.allow' && !this.state.config.audit?.allowed) return;
        const described = rule !== undefined ? this.state.engine?.describe(Number(rule)) : undefined;
        this.record({
          event,
          principal: ctx.principal ?? null,
          target: {
            method: ctx.method,
            endpoint: ctx.scope.kind === 'server' ? ctx.scope.server : 'aggregate',
            ...(access ? targetOf(access) : {}),
          },
          decision: event === 'authz.allow' ? 'allow' : event === 'rate.limited' ? 'limit' : 'deny',
          reason,
          ...(described ? { rule: described } : {}),
        });
      },
    };
  }
}

function targetOf(access: AccessRequest): { server?: string; tool?: string; prompt?: string; uri?: string } {
  return {
    ...(access.server !== undefined ? { server: access.server } : {}),
    ...(access.kind === 'tool' && access.name !== undefined ? { tool: access.name } : {}),
    ...(access.kind === 'prompt' && access.name !== undefined ? { prompt: access.name } : {}),
    ...(access.uri !== undefined ? { uri: access.uri } : {}),
  };
}

/** Builds the gateway's security from its config (see {@link Security}). */
export function createSecurity(config: SecurityConfig, deps: SecurityDeps = {}): Security {
  return new Security(config, deps);
}
