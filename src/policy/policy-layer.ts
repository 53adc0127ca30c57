import type { Tool } from '@modelcontextprotocol/server';
import type { Catalog } from '../catalog/index.js';
import { DEFAULT_INPUT_LIMITS, type AuthConfig, type InputLimitsConfig, type SecuritySections } from '../config/auth-schema.js';
import type { Logger } from '../observability/logger.js';
import type { CallContext, Middleware, Principal } from './call-context.js';
import { SecurityAudit, type SecurityEvent } from './audit/security-audit.js';
import { HttpAuthenticator } from './authn/authenticator.js';
import { authnPolicy } from './authn/authn-policy.js';
import { authzPolicy } from './authz/authz-policy.js';
import { PolicyEngine, type Decision } from './authz/policy-engine.js';
import { TargetResolver } from './authz/targets.js';
import { HttpPolicy } from './http-policy.js';
import { ArgumentValidator } from './limits/argument-validator.js';
import { argumentsPolicy } from './limits/arguments-policy.js';
import { PinStore } from './pins/pin-store.js';
import { pinsPolicy } from './pins/pins-policy.js';
import { RateLimiter, type RateLimitStore } from './rate-limit/rate-limit.js';
import { rateLimitPolicy } from './rate-limit/rate-limit-policy.js';
import { createRateLimitStore } from './rate-limit/rate-limit-store.js';

/** The parts of the gateway config the policy layer reads: its own sections plus names and prefixes. */
export interface PolicyConfig extends SecuritySections {
  namespace: { separator: string };
  servers: Record<string, { prefix: string; enabled: boolean }>;
}

export interface PolicyLayerDeps {
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

/** The chain's policies of the current config, in chain order (see chain.ts). */
export interface ChainPolicies {
  authn: Middleware;
  authz: Middleware;
  pins: Middleware;
  rateLimit: Middleware;
  arguments: Middleware;
}

/** Everything one config builds; a reload builds the next one (buckets, pins and audit file kept when unchanged). */
interface Built {
  config: PolicyConfig;
  active: boolean;
  auth?: AuthConfig;
  authenticator?: HttpAuthenticator;
  engine?: PolicyEngine;
  pins?: PinStore;
  limits: InputLimitsConfig;
  audit: SecurityAudit;
  prefixes: Map<string, string>;
  chain: ChainPolicies;
}

const passThrough: Middleware = (_ctx, next) => next();

/**
 * The gateway's policies, built from the config: the chain's policies (authentication,
 * authorization, pins, rate limits, arguments: each a `(config, deps) => Middleware` of its own
 * folder), and apart from them the HTTP-facing half (`http`: credentials, RFC 9728 metadata,
 * public paths, admin roles). Created once per gateway; `reload(config)` rebuilds the policies
 * while rate-limit buckets (and unchanged pins and audit file) carry over.
 *
 * With none of the sections configured it is inert: no principal, every policy passes through,
 * and only the default input limits and argument checks apply.
 */
export class PolicyLayer {
  private built: Built;
  private store: RateLimitStore;
  private readonly validator: ArgumentValidator;
  private readonly targets: TargetResolver;
  /** The current config's chain policies: each step reads the policy of the config in force when it runs. */
  readonly chain: ChainPolicies = {
    authn: (ctx, next) => this.built.chain.authn(ctx, next),
    authz: (ctx, next) => this.built.chain.authz(ctx, next),
    pins: (ctx, next) => this.built.chain.pins(ctx, next),
    rateLimit: (ctx, next) => this.built.chain.rateLimit(ctx, next),
    arguments: (ctx, next) => this.built.chain.arguments(ctx, next),
  };
  readonly http: HttpPolicy;

  constructor(
    config: PolicyConfig,
    private readonly deps: PolicyLayerDeps = {},
  ) {
    this.store = deps.rateLimitStore ?? createRateLimitStore(config.rateLimitStore, deps.logger);
    this.validator = new ArgumentValidator(undefined, (tool, reason) => deps.logger?.warn({ tool, reason }, 'tool input schema cannot be compiled; its arguments are not checked by the gateway'));
    this.targets = new TargetResolver({
      catalog: () => deps.catalog?.(),
      separator: () => this.built.config.namespace.separator,
      prefixes: () => this.built.prefixes,
    });
    this.built = this.build(config);
    this.http = new HttpPolicy(() => this.built);
  }

  /** True when some policy section is configured (otherwise requests carry no principal). */
  get active(): boolean {
    return this.built.active;
  }

  /**
   * Whether policies grant `principal` the use of inline /rpc servers (target `rpc:inline`);
   * undefined without a policy engine. A refusal goes to the audit trail like any denial.
   */
  inlineDecision(principal: Principal): Decision | undefined {
    const { engine, audit } = this.built;
    const decision = engine?.decide(principal, { kind: 'rpc', name: 'inline' });
    if (engine && decision && decision.effect !== 'allow') {
      const reason = decision.effect === 'deny' ? decision.reason : `needs scope ${decision.scopes.join(' ')}`;
      const rule = engine.describe(decision.rule);
      audit.record({ event: 'authz.deny', principal, target: { path: '/rpc', method: 'rpc:inline' }, decision: 'deny', reason, ...(rule ? { rule } : {}) });
    }
    return decision;
  }

  /** Applies a new config (after a reload). Rate-limit buckets carry over unless the store changed. */
  reload(config: PolicyConfig): void {
    const previous = this.built;
    if (!this.deps.rateLimitStore && JSON.stringify(previous.config.rateLimitStore) !== JSON.stringify(config.rateLimitStore)) {
      const old = this.store;
      this.store = createRateLimitStore(config.rateLimitStore, this.deps.logger);
      void Promise.resolve(old.close?.()).catch(() => undefined);
    }
    this.built = this.build(config, previous);
    if (previous.audit !== this.built.audit) void previous.audit.close();
    if (previous.pins && previous.pins !== this.built.pins) previous.pins.close();
  }

  async close(): Promise<void> {
    this.built.pins?.close();
    await this.built.audit.close();
    await this.store.close?.();
  }

  private build(config: PolicyConfig, previous?: Built): Built {
    const auditFile = config.audit?.file;
    const audit = previous && previous.config.audit?.file === auditFile ? previous.audit : new SecurityAudit(auditFile, this.deps.logger, this.deps.onEvent);
    const pinning = config.pinning && config.pinning.mode !== 'off' ? config.pinning : undefined;
    const active = Boolean(config.auth || config.policies?.length || config.rateLimits?.length || pinning);
    const prefixes = new Map<string, string>();
    for (const [name, server] of Object.entries(config.servers)) if (server.enabled) prefixes.set(name, server.prefix);
    const samePins = previous?.pins && JSON.stringify(previous.config.pinning) === JSON.stringify(config.pinning);
    if (config.auth && !config.policies?.length && config.auth.defaultDecision === 'deny') {
      this.deps.logger?.warn('auth is on and no policies are configured: every tool call, prompt and resource read is denied (add policies, or set auth.defaultDecision to "allow")');
    }
    const engine = config.auth || config.policies?.length ? new PolicyEngine(config.policies ?? [], config.auth ? config.auth.defaultDecision : 'allow') : undefined;
    const pins = pinning ? (samePins ? previous!.pins! : new PinStore(pinning, audit, this.deps.clock)) : undefined;
    const limits = config.inputLimits ?? DEFAULT_INPUT_LIMITS;
    const limiter = new RateLimiter(config.rateLimits ?? [], this.store, this.deps.clock);
    const tools = (ctx: CallContext, name: string) => this.toolDefinition(ctx, name);
    const targets = this.targets;
    const chain: ChainPolicies = {
      authn: active ? authnPolicy(config.auth) : passThrough,
      authz: active && engine ? authzPolicy({ auditAllowed: config.audit?.allowed === true }, { engine, targets, audit }) : passThrough,
      pins: active && pins ? pinsPolicy(pinning!, { pins, tools, targets }) : passThrough,
      rateLimit: active && limiter.configured ? rateLimitPolicy({ limiter, targets, audit }) : passThrough,
      arguments: argumentsPolicy(limits, { validator: this.validator, tools, targets }),
    };
    return {
      config,
      active,
      ...(config.auth ? { auth: config.auth, authenticator: new HttpAuthenticator(config.auth, audit) } : {}),
      ...(engine ? { engine } : {}),
      ...(pins ? { pins } : {}),
      limits,
      audit,
      prefixes,
      chain,
    };
  }

  /** The tool's definition on the request's endpoint, waiting for start-up when it is not there yet. */
  private async toolDefinition(ctx: CallContext, name: string): Promise<Tool | undefined> {
    const known = this.catalogTool(ctx, name);
    if (known || !this.deps.whenStarted) return known;
    await this.deps.whenStarted();
    return this.catalogTool(ctx, name);
  }

  private catalogTool(ctx: CallContext, name: string): Tool | undefined {
    const catalog = this.deps.catalog?.();
    if (!catalog) return undefined;
    return ctx.scope.kind === 'server' ? catalog.serverTool(ctx.scope.server, name) : catalog.tool(name);
  }
}

/** Builds the gateway's policy layer from its config (see {@link PolicyLayer}). */
export function createPolicyLayer(config: PolicyConfig, deps: PolicyLayerDeps = {}): PolicyLayer {
  return new PolicyLayer(config, deps);
}
