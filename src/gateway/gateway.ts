import { randomUUID } from 'node:crypto';
import { Catalog, ListingMemory } from '../catalog/index.js';
import { DEFAULT_MAX_PROCESSES, type OutletConfig } from '../config/index.js';
import { OutletError } from '../errors/index.js';
import { McpEndpoint, type ListKind } from '../protocol/mcp-endpoint.js';
import { installObservability, type InstallObservabilityOptions, type ObservabilityHandle } from '../observability/index.js';
import type { ObservabilityInput } from '../config/observability-schema.js';
import type { Logger } from '../observability/logger.js';
import type { Handler, RequestScope, SessionInfo } from '../policy/call-context.js';
import { PolicyLayer } from '../policy/policy-layer.js';
import { buildPolicyChain } from '../policy/chain.js';
import { compose } from '../policy/compose.js';
import type { Server } from '@modelcontextprotocol/server';
import { createGatewayServer } from '../protocol/gateway-server.js';
import { InputBridge } from '../protocol/input-bridge.js';
import { SessionRegistry } from '../protocol/session-registry.js';
import { Router } from '../router/router.js';
import { CodeModeGate } from '../codemode/code-mode-gate.js';
import { SubscriptionHub } from '../protocol/subscription-hub.js';
import type { ApplyResult } from '../supervisor/supervisor.js';
import { Supervisor } from '../supervisor/supervisor.js';
import { prepareProcesses } from '../supervisor/process-loader.js';
import { lazyPackageFetcher } from '../packages/package-source.js';
import { AGGREGATE_CAPABILITIES, aggregateCapabilities, perServerCapabilities } from './capabilities.js';
import { CallGate } from './call-gate.js';
import { InlineServing } from './inline-serving.js';
import { ListFingerprint } from './list-fingerprint.js';

export interface GatewayOptions {
  logger: Logger;
}

/**
 * The outlet's core object: one config, the supervised upstreams, the merged catalog, the policy
 * chain and the MCP endpoints that serve it. Transports (HTTP app, stdio) sit on top of it;
 * `reload()` swaps the config while untouched upstreams and client sessions keep running.
 */
export class Gateway {
  readonly supervisor: Supervisor;
  readonly handle: Handler;
  /** Authentication, authorization, pins, rate limits and argument checks, built from the config. */
  readonly policies: PolicyLayer;
  readonly aggregate: McpEndpoint;
  readonly sessions = new SessionRegistry(() => this.current.http.sessions);
  readonly subscriptions: SubscriptionHub;
  /** Tracing, metrics, request log lines and audit; replaced when its config section changes. */
  observability: ObservabilityHandle;
  /** Servers described inline by /rpc requests: their own supervisor, catalog and chain. */
  readonly inline: InlineServing;
  private readonly router: Router;
  private readonly codeMode: CodeModeGate;
  private readonly perServer = new Map<string, McpEndpoint>();
  /** Per-server endpoints of servers a reload changed or removed, open until the old instance's calls end. */
  private readonly retiredEndpoints = new Set<McpEndpoint>();
  private readonly perServerPrints = new Map<string, ListFingerprint>();
  private readonly aggregatePrint = new ListFingerprint();
  private catalog: Catalog;
  /** The aggregated endpoint's capabilities, refreshed with the catalog: the SDK asks for them per request. */
  private aggregateCaps = AGGREGATE_CAPABILITIES;
  /** Each server's last listing, kept while it restarts so its tools answer UPSTREAM_UNAVAILABLE rather than unknown. */
  private readonly listingMemory = new ListingMemory();
  private closed = false;
  private readonly pendingAnnounced = new Map<string, Set<ListKind>>();
  private readonly gate = new CallGate(this);
  private readonly listListeners = new Set<(kinds: ReadonlySet<ListKind>) => void>();

  private constructor(
    private current: OutletConfig,
    private readonly options: GatewayOptions,
  ) {
    const supervisorOptions = {
      connectTimeoutMs: current.upstream.connectTimeoutMs,
      restart: { baseMs: 500, maxMs: 30_000 },
      // Sandbox warnings (an unconfined server, a limit not enforced) and limit kills.
      log: (level: 'info' | 'warn' | 'error', msg: string, data?: Record<string, unknown>) => options.logger[level](data ?? {}, msg),
      // Per-session servers give each inbound session a process and stop it when the session closes.
      sessions: this.sessions,
      // Connect and call spans belong to this gateway's observability, not to another gateway in the same process.
      owner: this,
      // Launcher entries (npx -y pkg) are fetched by the outlet into one cache, shared with inline servers.
      packages: lazyPackageFetcher(current.packages, (level, msg, data) => options.logger[level](data ?? {}, msg)),
    };
    this.supervisor = new Supervisor({ ...supervisorOptions, ...(current.limits ? { maxProcesses: current.limits.maxProcesses } : {}) });
    this.catalog = Catalog.build([], { separator: current.namespace.separator });
    this.subscriptions = new SubscriptionHub(this.sessions, (server, method, uri) => {
      const connection = this.supervisor.require(server).live();
      return method === 'resources/subscribe' ? connection.subscribe(uri) : connection.unsubscribe(uri);
    });
    const router = (this.router = new Router({
      catalog: () => this.catalog,
      supervisor: this.supervisor,
      listWaitMs: current.startup.listWaitMs,
      subscriptions: this.subscriptions,
      sessions: this.sessions,
      bridge: new InputBridge(),
    }));
    this.observability = this.startObservability({ config: current.observability });
    this.policies = new PolicyLayer(current, { logger: options.logger, catalog: () => this.catalog, whenStarted: () => this.supervisor.waitForStartup(this.current.startup.listWaitMs) });
    // Code mode sits between the chain and the router; each call a program makes comes back in through `handle`.
    this.codeMode = new CodeModeGate({ config: () => this.current, catalog: () => this.catalog, reenter: () => this.handle, owner: this });
    const route: Handler = (ctx) => router.dispatch(ctx);
    const chain = compose(buildPolicyChain(this.policies), (ctx) => this.codeMode.dispatch(ctx, route));
    this.handle = this.gate.wrap(chain);
    // Servers described inline by /rpc requests: their own supervisor, catalog and chain.
    this.inline = new InlineServing({
      config: current,
      policies: this.policies,
      supervisorOptions,
      sessions: this.sessions,
      subscriptions: this.subscriptions,
      entry: (handler) => this.gate.wrap(handler),
    });
    this.aggregate = new McpEndpoint({
      scope: { kind: 'aggregate' },
      handle: this.handle,
      capabilities: () => this.aggregateCaps,
      toolInputSchema: (name) => this.catalog.tool(name)?.inputSchema,
      maxBodyBytes: current.http.maxBodyBytes,
      maxJsonDepth: current.http.maxJsonDepth,
      sessions: this.sessions,
      resumable: current.http.resumable,
      subscriptions: this.subscriptions,
      resourceOwner: (uri) => this.ownerOf(uri),
    });
    this.supervisor.on('change', () => this.rebuildCatalog());
    // An upstream's own list_changed is passed on even when the refetch shows no difference: the
    // server knows better (a list that changed and changed back, or entries we cannot compare).
    this.supervisor.on('announced', (server, kinds) => {
      this.pendingAnnounced.set(server, new Set([...(this.pendingAnnounced.get(server) ?? []), ...kinds]));
    });
    this.supervisor.on('resourceUpdated', (server, uri, params) => this.subscriptions.deliver(server, uri, params));
    this.supervisor.on('message', (server, params) => this.broadcastLog(server, params));
    this.supervisor.on('connected', (server) => this.resubscribe(server));
  }

  /** Starts every enabled upstream (without waiting for them) and returns the running gateway. */
  static async start(config: OutletConfig, options: GatewayOptions): Promise<Gateway> {
    const gateway = new Gateway(config, options);
    // Command servers are supervised from the moment they are built; URL servers alone load no process machinery.
    await prepareProcesses(Object.values(config.servers));
    await gateway.supervisor.apply(config.servers);
    return gateway;
  }

  get config(): OutletConfig {
    return this.current;
  }

  get logger(): Logger {
    return this.options.logger;
  }

  /**
   * Replaces the running observability with one for `options.config` (reload, or a test that
   * wants its own audit sink or logger). The previous one is closed first: its spans are flushed.
   */
  async installObservability(options: { config?: ObservabilityInput } & Partial<Omit<InstallObservabilityOptions, 'config' | 'gatewayLike'>>): Promise<ObservabilityHandle> {
    await this.observability.close();
    this.observability = this.startObservability(options);
    return this.observability;
  }

  private startObservability(options: { config?: ObservabilityInput } & Partial<Omit<InstallObservabilityOptions, 'config' | 'gatewayLike'>>): ObservabilityHandle {
    return installObservability({
      logger: this.options.logger,
      breakerState: (server) => this.supervisor.breakerState(server),
      ...options,
      gatewayLike: this,
    });
  }

  /** The merged catalog as of now. */
  currentCatalog(): Catalog {
    return this.catalog;
  }

  /** A fresh SDK server over the gateway, for an in-process or stdio client. */
  createServer(scope: RequestScope, session: SessionInfo): { server: Server; sessionKey: string } {
    const sessionKey = `${session.transport}:${randomUUID()}`;
    const mcp = createGatewayServer({ scope, session, handle: this.handle, capabilities: this.aggregateCaps, sessionKey });
    return { server: mcp.server, sessionKey };
  }

  /** Follows changes of the aggregated lists (stdio inbound relays them as list_changed). */
  onListsChanged(listener: (kinds: ReadonlySet<ListKind>) => void): () => void {
    this.listListeners.add(listener);
    return () => this.listListeners.delete(listener);
  }

  /** The endpoint of one server (`/servers/<name>/mcp`), or UNKNOWN_SERVER if it is not configured and enabled. */
  endpointFor(name: string): McpEndpoint {
    const entry = Object.hasOwn(this.current.servers, name) ? this.current.servers[name] : undefined;
    if (!entry?.enabled) throw new OutletError('UNKNOWN_SERVER', `no enabled server named "${name}"`, { server: name });
    let endpoint = this.perServer.get(name);
    if (!endpoint) {
      endpoint = new McpEndpoint({
        scope: { kind: 'server', server: name },
        handle: this.handle,
        capabilities: () => {
          const up = this.supervisor.get(name);
          return perServerCapabilities(up?.state === 'connected' ? up.live().capabilities : undefined);
        },
        toolInputSchema: (tool) => this.catalog.serverTool(name, tool)?.inputSchema,
        maxBodyBytes: this.current.http.maxBodyBytes,
        maxJsonDepth: this.current.http.maxJsonDepth,
        sessions: this.sessions,
        resumable: this.current.http.resumable,
        subscriptions: this.subscriptions,
        resourceOwner: () => name,
      });
      this.perServer.set(name, endpoint);
    }
    return endpoint;
  }

  /**
   * Applies a new config: servers added, removed or changed are started or stopped; untouched
   * ones keep running. The caller has already validated `next` (an invalid file never gets here).
   */
  async reload(next: OutletConfig): Promise<ApplyResult> {
    if (next.namespace.separator !== this.current.namespace.separator) {
      this.logger.warn('namespace.separator changed: every published name changes');
    }
    const observabilityChanged = JSON.stringify(next.observability) !== JSON.stringify(this.current.observability);
    this.current = next;
    this.policies.reload(next);
    this.inline.reconfigure(next);
    if (observabilityChanged) await this.installObservability({ config: next.observability });
    await prepareProcesses(Object.values(next.servers));
    const result = await this.supervisor.apply(next.servers, next.limits?.maxProcesses ?? DEFAULT_MAX_PROCESSES, next.upstream.drainTimeoutMs);
    for (const name of result.removed) this.subscriptions.forgetServer(name);
    const retired: McpEndpoint[] = [];
    for (const name of [...result.removed, ...result.changed]) {
      const endpoint = this.perServer.get(name);
      this.perServer.delete(name);
      this.perServerPrints.delete(name);
      if (endpoint) retired.push(endpoint);
    }
    this.rebuildCatalog();
    // A per-server endpoint's sessions end with the old instance: after its calls in flight.
    if (retired.length > 0) {
      const closed = this.closeAfterDrain(retired);
      if (!this.supervisor.draining) await closed;
    }
    this.logger.info({ ...result }, 'config reloaded');
    return result;
  }

  private async closeAfterDrain(endpoints: McpEndpoint[]): Promise<void> {
    for (const endpoint of endpoints) this.retiredEndpoints.add(endpoint);
    await this.supervisor.drained();
    for (const endpoint of endpoints) {
      this.retiredEndpoints.delete(endpoint);
      await endpoint.close().catch(() => undefined);
    }
  }

  /** The upstream that owns a resource URI in the aggregated catalog, if any. */
  ownerOf(uri: string): string | undefined {
    try {
      return this.catalog.resolveResource(uri).server;
    } catch {
      return undefined;
    }
  }

  /** A log line no call could claim goes to every session that sees the server and asked for that level. */
  private broadcastLog(server: string, params: Record<string, unknown>): void {
    for (const session of this.sessions.seeing(server)) {
      if (!SessionRegistry.wantsLog(session, params.level)) continue;
      void session.notify({ method: 'notifications/message', params }).catch(() => undefined);
    }
  }

  /** After a restart the upstream has forgotten our subscriptions: ask again. */
  private resubscribe(server: string): void {
    const up = this.supervisor.get(server);
    if (up?.state !== 'connected') return;
    for (const uri of this.subscriptions.urisOf(server)) void up.live().subscribe(uri).catch(() => undefined);
  }

  private rebuildCatalog(): void {
    if (this.closed) return;
    const listings = this.listingMemory.listings(
      this.supervisor.all().map((up) => {
        const lists = up.lists;
        const live = lists ? { ...lists, advertisesResources: Boolean(up.live().capabilities.resources) } : undefined;
        return { server: up.name, prefix: up.config.prefix, toolFilter: up.config.tools, ...(live ? { live } : {}) };
      }),
    );
    this.catalog = Catalog.build(listings, { separator: this.current.namespace.separator });
    this.aggregateCaps = aggregateCapabilities(this.supervisor.all());
    for (const problem of this.catalog.problems) this.logger.warn({ server: problem.server, code: problem.code }, problem.message);
    const announced = new Map(this.pendingAnnounced);
    this.pendingAnnounced.clear();
    const changed = this.aggregatePrint.changed({
      tools: this.catalog.tools(),
      prompts: this.catalog.prompts(),
      resources: this.catalog.resources(),
      resourceTemplates: this.catalog.resourceTemplates(),
    });
    for (const kinds of announced.values()) for (const kind of kinds) changed.add(kind);
    if (changed.size > 0) {
      this.aggregate.notifyListChanged(changed);
      for (const listener of this.listListeners) listener(changed);
    }
    for (const [name, endpoint] of this.perServer) {
      const view = this.catalog.forServer(name);
      if (!view) continue;
      let print = this.perServerPrints.get(name);
      if (!print) this.perServerPrints.set(name, (print = new ListFingerprint()));
      const kinds = print.changed(view);
      for (const kind of announced.get(name) ?? []) kinds.add(kind);
      if (kinds.size > 0) endpoint.notifyListChanged(kinds);
    }
  }

  /**
   * Stops taking calls and waits for the ones in flight to finish, at most `graceMs`; what is
   * still running after that is cut off by close(). Resolves with the number left unfinished.
   */
  drain(graceMs: number): Promise<number> {
    return this.gate.drain(graceMs);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const endpoints = [this.aggregate, ...this.perServer.values(), ...this.retiredEndpoints];
    await Promise.all(endpoints.map((e) => e.close().catch(() => undefined)));
    await Promise.all([this.supervisor.close(), this.inline.close(), this.codeMode.close()]);
    await this.policies.close();
    await this.observability.close();
  }
}
