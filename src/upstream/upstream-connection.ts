import { EventEmitter } from 'node:events';
import { Client, type McpSubscription, type Transport } from '@modelcontextprotocol/client';
import type { Prompt, Resource, ResourceTemplateType as ResourceTemplate, ServerCapabilities, Tool } from '@modelcontextprotocol/server';
import type { ServerConfig } from '../config/index.js';
import { OutletError, toProtocolError } from '../errors/index.js';
import type { ClientChannel } from './client-channel.js';
import { passesLogLevel } from './log-level.js';
import { clientTransportFor, type TransportHooks } from './client-transport.js';
import { InflightCalls } from './inflight-calls.js';
import { deliverInWireOrder } from './ordered-delivery.js';
import { ResultValidators } from './result-validators.js';
import { isTaskAugmented, taskResultValidator } from './task-results.js';

/** The lists a `list_changed` notification can name. */
export type ListKind = 'tools' | 'prompts' | 'resources';

export interface UpstreamLists {
  tools: Tool[];
  prompts: Prompt[];
  resources: Resource[];
  resourceTemplates: ResourceTemplate[];
}

export interface UpstreamRequestOptions {
  signal?: AbortSignal;
  /** Idle timeout: reset by each progress notification. */
  timeoutMs?: number;
  /** Hard cap on the whole call. */
  maxTotalMs?: number;
  onprogress?: (progress: { progress: number; total?: number; message?: string }) => void;
  /** The inbound call this request serves: what the upstream asks back is routed to it. */
  channel?: ClientChannel;
  /**
   * The caller speaks 2026-07-28 (SEP-2322): a 2026-07-28 upstream's `input_required` result is
   * handed back as it is instead of fulfilled here, and the caller answers the input requests
   * itself and retries with `inputResponses` and `requestState`, which pass through to the
   * upstream untouched. Ignored by an upstream of an earlier era, which asks by request instead.
   */
  passInputRequired?: boolean;
}

export interface UpstreamConnectionEvents {
  /** The upstream announced list changes (the kinds it named) and the lists were fetched again. */
  lists: [UpstreamLists, ReadonlySet<ListKind>];
  /** The connection ended (process exit, HTTP stream closed, or close()). */
  closed: [Error | undefined];
  /** A `notifications/message` no single in-flight call could claim. */
  message: [Record<string, unknown>];
  /** `notifications/resources/updated` for a URI. */
  resourceUpdated: [string, Record<string, unknown>];
}

/** Server-to-client requests the gateway relays to the client whose call caused them. */
const RELAYED_REQUESTS = ['sampling/createMessage', 'elicitation/create'] as const;

const CLIENT_INFO = { name: 'mcp-outlet', version: '0.1.0' };

/**
 * One live MCP client session to one upstream server. It connects (negotiating the protocol era
 * the entry asks for), keeps the upstream's lists current by following its `list_changed`
 * notifications, and forwards requests. It does not reconnect: the supervisor decides that.
 */
export class UpstreamConnection extends EventEmitter<UpstreamConnectionEvents> {
  readonly client: Client;
  lists: UpstreamLists = { tools: [], prompts: [], resources: [], resourceTemplates: [] };
  private transport?: Transport;
  private closing = false;
  private refreshing: Promise<void> | undefined;
  private refreshAgain = false;
  private announced = new Set<ListKind>();
  readonly inflight = new InflightCalls();
  private active = 0;
  /** Open `subscriptions/listen` streams standing in for resources/subscribe on a 2026 upstream. */
  private readonly listens = new Map<string, McpSubscription>();
  private readonly resultValidators: ResultValidators;

  constructor(
    readonly config: ServerConfig,
    private readonly hooks: TransportHooks & { connectTimeoutMs: number } = { connectTimeoutMs: 30_000 },
  ) {
    super();
    const negotiation = config.protocol === 'auto' ? { mode: 'auto' as const } : config.protocol === 'legacy' ? { mode: 'legacy' as const } : { mode: { pin: config.protocol } };
    this.client = new Client(CLIENT_INFO, {
      versionNegotiation: { ...negotiation, probe: { timeoutMs: Math.min(5_000, hooks.connectTimeoutMs) } },
      // What the gateway can relay to its own clients. Roots asked during a call go to that
      // call's client; asked outside any call (a shared instance at start-up), the answer is an
      // error: no one client's roots are imposed on everyone (a filesystem server would adopt
      // them as its allowed directories; after an error it keeps its configuration).
      capabilities: { sampling: {}, elicitation: { form: {}, url: {} }, roots: { listChanged: true } },
      listChanged: {
        tools: { onChanged: () => this.scheduleRefresh('tools') },
        prompts: { onChanged: () => this.scheduleRefresh('prompts') },
        resources: { onChanged: () => this.scheduleRefresh('resources') },
      },
    });
    this.resultValidators = new ResultValidators(this.client);
    this.installRelays();
  }

  private installRelays(): void {
    for (const method of RELAYED_REQUESTS) {
      const register = this.client.setRequestHandler.bind(this.client) as (m: string, h: (req: { params?: Record<string, unknown> }) => Promise<unknown>) => void;
      register(method, async (request) => {
        try {
          return await this.inflight.ask(this.config.name, `${method} request`, (channel) => {
            if (!channel.canAnswer(method)) {
              throw new OutletError('UPSTREAM_ERROR', `the client whose call caused this ${method} request did not declare the capability it needs`, { server: this.config.name });
            }
            return channel.request(method, request.params);
          });
        } catch (err) {
          throw toProtocolError(err);
        }
      });
    }
    this.client.setRequestHandler('roots/list', async () => {
      // The calling client has no roots to give: its answer is an empty list.
      const channel = this.inflight.attribute();
      if (channel && !channel.canAnswer('roots/list')) return { roots: [] };
      // Asked outside any call (or while calls of several sessions are in flight): an error that
      // says why, not an empty list. Servers cache the roots they are given (server-everything
      // keeps them for good, a filesystem server adopts them) and would keep "none"; after an
      // error they ask again later, from inside a call, and get that call's client's roots.
      try {
        return (await this.inflight.ask(this.config.name, 'roots/list request', (channel) => channel.request('roots/list', undefined))) as { roots: [] };
      } catch (err) {
        throw toProtocolError(err);
      }
    });
    this.client.setNotificationHandler('notifications/message', (n) => {
      const params = n.params as Record<string, unknown>;
      const channel = this.inflight.attribute();
      if (!channel) this.emit('message', params);
      else if (channel.era === 'legacy' || passesLogLevel(channel.logLevel, params.level)) {
        // A 2025 session's upstream already filters by the level it forwarded; a 2026 request
        // gets only what its own envelope level lets through (nothing without one).
        void channel.notify('notifications/message', params).catch(() => undefined);
      }
    });
    this.client.setNotificationHandler('notifications/resources/updated', (n) => {
      this.emit('resourceUpdated', n.params.uri, n.params as Record<string, unknown>);
    });
  }

  get capabilities(): ServerCapabilities {
    return this.client.getServerCapabilities() ?? {};
  }

  get protocolVersion(): string | undefined {
    return this.client.getNegotiatedProtocolVersion();
  }

  get serverInfo(): { name: string; version: string } | undefined {
    return this.client.getServerVersion();
  }

  /** Connects and fetches every list the upstream advertises. Rejects with UPSTREAM_UNAVAILABLE. */
  async connect(): Promise<void> {
    const build = await clientTransportFor(this.config);
    // Closed while the stdio side loaded (a stopped server's start): nothing is spawned.
    if (this.closing) throw new OutletError('UPSTREAM_UNAVAILABLE', `upstream "${this.config.name}" failed to start: connection closed`, { server: this.config.name });
    const transport = build(this.hooks);
    this.transport = transport;
    this.client.onclose = () => this.emit('closed', this.closing ? undefined : new OutletError('UPSTREAM_CLOSED', `upstream "${this.config.name}" closed the connection`));
    try {
      await this.client.connect(transport, { timeout: this.hooks.connectTimeoutMs });
      deliverInWireOrder(transport);
      this.lists = await this.fetchLists();
    } catch (err) {
      await this.close();
      throw new OutletError('UPSTREAM_UNAVAILABLE', `upstream "${this.config.name}" failed to start: ${messageOf(err)}`, { server: this.config.name }, { cause: err });
    }
  }

  /** Sends one request upstream; the SDK resolves it, or rejects on error, timeout, abort or close. */
  async request(method: string, params: Record<string, unknown> | undefined, options: UpstreamRequestOptions = {}): Promise<Record<string, unknown>> {
    const end = options.channel ? this.inflight.begin(options.channel) : undefined;
    this.active++;
    const requestOptions = {
      timeout: options.timeoutMs ?? this.config.timeoutMs,
      ...(options.maxTotalMs ? { maxTotalTimeout: options.maxTotalMs } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      // Progress resets the idle timeout (a long job that reports progress is alive); the SDK
      // only watches for progress when asked to, so the gateway always asks.
      onprogress: options.onprogress ?? noop,
      resetTimeoutOnProgress: true,
      // Decided by the connection the call was lent, which knows its own era.
      ...(options.passInputRequired && this.isModern ? { allowInputRequired: true } : {}),
    };
    try {
      const tool = method === 'tools/call' && this.isModern ? this.lists.tools.find((t) => t.name === params?.name) : undefined;
      if (tool && !isTaskAugmented(params)) {
        // callTool mirrors x-mcp-header arguments into Mcp-Param-* headers (SEP-2243) from the
        // definition; without outputSchema it leaves the result unchecked, as a gateway should.
        const { outputSchema: _unchecked, ...definition } = tool;
        return (await this.client.callTool(params as { name: string }, { ...requestOptions, toolDefinition: definition as typeof tool })) as Record<string, unknown>;
      }
      const request = { method: method as 'tools/call', params: params ?? {} };
      const validator = taskResultValidator(method, params) ?? this.resultValidators.for(method);
      if (validator) return (await this.client.request(request, validator, requestOptions)) as Record<string, unknown>;
      return (await this.client.request(request, requestOptions)) as Record<string, unknown>;
    } finally {
      this.active--;
      end?.();
    }
  }

  /** Requests sent and not yet answered (the health probe leaves a busy server alone). */
  get activeRequests(): number {
    return this.active;
  }

  /** Whether the upstream speaks the stateless 2026-07-28 era (no setLevel, no resources/subscribe). */
  get isModern(): boolean {
    const v = this.protocolVersion;
    return v !== undefined && v >= '2026-07-28';
  }

  /**
   * Subscribes to a resource's updates. A 2026-07-28 upstream has no resources/subscribe: the
   * bridge opens a `subscriptions/listen` stream for the URI instead, whose notifications reach
   * the same handler.
   */
  async subscribe(uri: string): Promise<void> {
    if (!this.isModern) {
      await this.request('resources/subscribe', { uri });
      return;
    }
    if (this.listens.has(uri)) return;
    this.listens.set(uri, await this.client.listen({ resourceSubscriptions: [uri] }));
  }

  async unsubscribe(uri: string): Promise<void> {
    if (!this.isModern) {
      await this.request('resources/unsubscribe', { uri });
      return;
    }
    const listen = this.listens.get(uri);
    this.listens.delete(uri);
    await listen?.close();
  }

  /** Sends a notification upstream (cancellation, roots list_changed, ...). */
  notify(method: string, params?: Record<string, unknown>): Promise<void> {
    return this.client.notification({ method: method as 'notifications/roots/list_changed', ...(params ? { params } : {}) });
  }

  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    for (const listen of this.listens.values()) void listen.close().catch(() => undefined);
    this.listens.clear();
    await this.client.close().catch(() => undefined);
    await this.transport?.close().catch(() => undefined);
  }

  private scheduleRefresh(kind?: ListKind): void {
    if (kind) this.announced.add(kind);
    // Coalesce bursts of list_changed into one refetch; a change that lands while a refetch is
    // in flight may postdate what it read, so it earns one more refetch afterwards.
    if (this.refreshing) {
      this.refreshAgain = true;
      return;
    }
    this.refreshing = Promise.resolve()
      .then(() => this.fetchLists())
      .then((lists) => {
        this.lists = lists;
        const announced = this.announced;
        this.announced = new Set();
        this.emit('lists', lists, announced);
      })
      .catch(() => undefined)
      .finally(() => {
        this.refreshing = undefined;
        if (this.refreshAgain && !this.closing) {
          this.refreshAgain = false;
          this.scheduleRefresh();
        }
      });
  }

  private async fetchLists(): Promise<UpstreamLists> {
    const caps = this.capabilities;
    const opts = { cacheMode: 'bypass' as const };
    const [tools, prompts, resources, resourceTemplates] = await Promise.all([
      caps.tools ? this.client.listTools(undefined, opts).then((r) => r.tools) : [],
      caps.prompts ? this.client.listPrompts(undefined, opts).then((r) => r.prompts) : [],
      caps.resources ? this.client.listResources(undefined, opts).then((r) => r.resources) : [],
      caps.resources ? this.client.listResourceTemplates(undefined, opts).then((r) => r.resourceTemplates).catch(() => []) : [],
    ]);
    return { tools, prompts, resources, resourceTemplates };
  }
}

function noop(): void {}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
