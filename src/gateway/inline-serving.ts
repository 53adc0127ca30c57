import { Catalog, type UpstreamListing } from '../catalog/index.js';
import type { Result } from '@modelcontextprotocol/server';
import type { OutletConfig, ServerConfig } from '../config/index.js';
import { directContext, type DirectCall } from '../protocol/direct-call.js';
import { annotateRequest } from '../observability/request-annotations.js';
import type { CallContext, Handler } from '../policy/call-context.js';
import { buildInlinePolicyChain, type ChainSource } from '../policy/chain.js';
import { compose } from '../policy/compose.js';
import { InputBridge } from '../protocol/input-bridge.js';
import { Router } from '../router/router.js';
import type { CallerSessions, ResourceSubscriptions } from '../router/router-deps.js';
import type { ConsoleLine } from '../supervisor/console-buffer.js';
import { InlineUpstreams, type InlineLease } from '../supervisor/inline-upstreams.js';
import { ProcessBudget } from '../supervisor/process-budget.js';
import { prepareProcesses } from '../supervisor/process-loader.js';
import { Supervisor, type SupervisorOptions } from '../supervisor/supervisor.js';

/** Where the route leaves the inline server for the chain's terminal step. */
const PENDING = 'rpc.inline';

interface PendingCall {
  server: ServerConfig;
  onConsole?: (line: ConsoleLine) => void;
  lease?: InlineLease;
}

export interface InlineServingDeps {
  config: OutletConfig;
  /** The gateway's policies (the inline chain is the gateway's with pins left out). */
  policies: ChainSource;
  /** The gateway's own supervisor options (log, owner, sessions); inline servers have a process budget of their own. */
  supervisorOptions: Omit<SupervisorOptions, 'maxProcesses' | 'budget'>;
  sessions: CallerSessions;
  subscriptions: ResourceSubscriptions;
  /** Wraps a handler the way the gateway wraps its own: drain accounting and the inbound trace. */
  entry: (handler: Handler) => Handler;
}

/**
 * The servers `/rpc` requests describe inline, beside the configured ones: their own supervisor
 * with its own process budget (`rpc.maxProcesses`, apart from the gateway's `limits.maxProcesses`,
 * so inline servers at their cap never keep a configured server from restarting), their own
 * catalog and router, and the inline policy chain. A request reaches one with scope `{ kind: 'server', server: 'rpc-<hash>', inline: true }`.
 */
export class InlineServing {
  readonly upstreams: InlineUpstreams;
  readonly handle: Handler;
  private readonly supervisor: Supervisor;
  readonly budget: ProcessBudget;
  private catalog: Catalog;

  constructor(deps: InlineServingDeps) {
    const { config } = deps;
    this.budget = new ProcessBudget(config.rpc.maxProcesses, { setting: 'rpc.maxProcesses', what: "the inline servers' process budget" });
    this.supervisor = new Supervisor({ ...deps.supervisorOptions, budget: this.budget });
    this.catalog = Catalog.build([], { separator: config.namespace.separator });
    this.supervisor.on('change', () => this.rebuild(config.namespace.separator));
    this.upstreams = new InlineUpstreams(this.supervisor, config.rpc);
    const router = new Router({
      catalog: () => this.catalog,
      supervisor: this.supervisor,
      // A fresh inline server is waited for until its first attempt settles: each step of that
      // attempt has its own bound (the package fetch, the wait for a process slot, the connect),
      // so the request sees how the attempt ended (connected, or the step's own error), not a
      // shorter wait's "connecting".
      listWaitMs: config.packages.installTimeoutMs + 2 * config.upstream.connectTimeoutMs,
      subscriptions: deps.subscriptions,
      sessions: deps.sessions,
      bridge: new InputBridge(),
    });
    // The instance is acquired past the policy chain (an unauthenticated or rate-limited caller
    // spawns nothing) and inside the request's span (so a spawn is traced as part of it).
    this.handle = deps.entry(
      compose(buildInlinePolicyChain(deps.policies), async (ctx) => {
        const pending = ctx.state.get(PENDING) as PendingCall;
        const lease = this.upstreams.acquire(pending.server, ctx);
        pending.lease = lease;
        annotateRequest(ctx, { 'outlet.rpc.instance': lease.warm ? 'warm' : 'cold', 'outlet.server': lease.name });
        const unsubscribe = pending.onConsole ? lease.upstream.console.subscribe(pending.onConsole) : undefined;
        try {
          return await router.dispatch(ctx);
        } finally {
          unsubscribe?.();
          this.upstreams.release(lease.name);
        }
      }),
    );
  }

  /**
   * Runs one request on the server `server` describes (already validated and allowed): hardened
   * (sandboxed, shared package cache), started or reused, called through the inline chain.
   */
  async call(server: ServerConfig, call: Omit<DirectCall, 'scope'>, onConsole?: (line: ConsoleLine) => void): Promise<{ result: Result; ctx: CallContext; lease?: InlineLease }> {
    const hardened = this.upstreams.harden(server);
    await prepareProcesses([hardened]);
    const ctx = directContext({ ...call, scope: { kind: 'server', server: this.upstreams.nameOf(hardened), inline: true } });
    const pending: PendingCall = { server: hardened, ...(onConsole ? { onConsole } : {}) };
    ctx.state.set(PENDING, pending);
    const result = await this.handle(ctx);
    return { result, ctx, ...(pending.lease ? { lease: pending.lease } : {}) };
  }

  reconfigure(config: OutletConfig): void {
    this.upstreams.reconfigure(config.rpc);
    this.budget.setLimit(config.rpc.maxProcesses);
  }

  status() {
    return this.supervisor.status();
  }

  private rebuild(separator: string): void {
    const listings: UpstreamListing[] = [];
    for (const up of this.supervisor.all()) {
      const lists = up.lists;
      if (!lists) continue;
      listings.push({ server: up.name, prefix: up.config.prefix, ...lists, toolFilter: up.config.tools, advertisesResources: Boolean(up.live().capabilities.resources) });
    }
    this.catalog = Catalog.build(listings, { separator });
  }

  close(): Promise<void> {
    return this.upstreams.close();
  }
}
