import { CLIENT_CAPABILITIES_META_KEY, LOG_LEVEL_META_KEY, type Result } from '@modelcontextprotocol/server';
import type { Catalog } from '../catalog/index.js';
import { OutletError } from '../errors/index.js';
import type { CallContext } from '../policy/call-context.js';
import type { ClientChannel } from '../upstream/client-channel.js';
import type { ManagedUpstream } from '../supervisor/managed-upstream.js';
import { withKey } from '../shared/with-meta.js';
import { isTaskAugmented } from '../upstream/task-results.js';
import { Reach } from './reach.js';
import type { RouterDeps } from './router-deps.js';
import { TaskRoutes } from './task-routes.js';

/** The methods whose 2026-07-28 results may be `input_required` (SEP-2322). */
const INPUT_REQUIRED_METHODS = new Set(['tools/call', 'prompts/get', 'resources/read']);

/** Pages of an upstream's tasks/list read for one aggregated answer. */
const MAX_TASK_LIST_PAGES = 20;

/** Where a request goes: which upstream, and the params it should see (original names). */
interface Target {
  server: string;
  params: Record<string, unknown>;
  /** `params` is a copy made for this call (not the caller's object). */
  owned?: boolean;
}

/**
 * The terminal step of the policy chain: answers list requests from the catalog and forwards
 * everything else to the upstream that owns the name or URI, with the original (unprefixed) name.
 * It decides where a request goes and in which form; each server's call path (deadline, breaker,
 * queue, tracing) is its managed upstream's ({@link ManagedUpstream.call}).
 */
export class Router {
  /** What each route may reach: the same tool filter and catalog on every endpoint. */
  private readonly reach = new Reach(() => this.deps.supervisor.all().map((up) => ({ name: up.name, prefix: up.config.prefix, tools: up.config.tools })));
  /** Which upstream created each task, per session (2025-11-25 tasks). */
  private readonly tasks = new TaskRoutes();

  constructor(private readonly deps: RouterDeps) {}

  async dispatch(ctx: CallContext): Promise<Result> {
    switch (ctx.method) {
      case 'tools/list':
        return { tools: await this.list(ctx, 'tools') };
      case 'prompts/list':
        return { prompts: await this.list(ctx, 'prompts') };
      case 'resources/list':
        return { resources: await this.list(ctx, 'resources') };
      case 'resources/templates/list':
        return { resourceTemplates: await this.list(ctx, 'resourceTemplates') };
      case 'resources/subscribe':
      case 'resources/unsubscribe':
        return this.subscription(ctx);
      case 'logging/setLevel':
        return this.setLevel(ctx);
      case 'tasks/get':
      case 'tasks/result':
      case 'tasks/cancel':
        return this.taskRequest(ctx);
      case 'tasks/list':
        return this.listTasks(ctx);
      default:
        // At start-up a call may name a tool whose server is still connecting: wait (bounded)
        // like list requests do, instead of answering "unknown tool".
        if (this.deps.supervisor.hasPendingStartup()) await this.deps.supervisor.waitForStartup(this.deps.listWaitMs);
        return this.forward(ctx, this.target(ctx));
    }
  }

  private async list<K extends 'tools' | 'prompts' | 'resources' | 'resourceTemplates'>(ctx: CallContext, kind: K) {
    await this.deps.supervisor.waitForStartup(this.deps.listWaitMs);
    const catalog = this.deps.catalog();
    if (ctx.scope.kind === 'server') {
      const view = catalog.forServer(ctx.scope.server);
      if (!view) throw this.serverDown(ctx.scope.server);
      return view[kind];
    }
    return catalog[kind]();
  }

  private target(ctx: CallContext): Target {
    const { params } = ctx;
    const catalog = this.deps.catalog();
    if (ctx.scope.kind === 'server') {
      // Same reach as the aggregate: a tool the filter removed is unknown here too.
      if (ctx.method === 'tools/call') this.reach.tool(catalog, ctx.scope, String(params.name));
      if (ctx.method === 'prompts/get') this.reach.prompt(catalog, ctx.scope, String(params.name));
      return { server: ctx.scope.server, params };
    }
    switch (ctx.method) {
      case 'tools/call': {
        const { server, name } = this.reach.tool(catalog, ctx.scope, String(params.name));
        return { server, params: withKey(params, 'name', name), owned: true };
      }
      case 'prompts/get': {
        const { server, name } = catalog.resolvePrompt(String(params.name));
        return { server, params: withKey(params, 'name', name), owned: true };
      }
      case 'resources/read':
      case 'resources/subscribe':
      case 'resources/unsubscribe':
        return { server: catalog.resolveResource(String(params.uri)).server, params };
      case 'completion/complete':
        return this.completionTarget(catalog, params);
      default:
        throw new OutletError('METHOD_NOT_FOUND', `method "${ctx.method}" is not routed by the aggregated endpoint`, { method: ctx.method });
    }
  }

  private async subscription(ctx: CallContext): Promise<Result> {
    const sessionKey = ctx.channel?.sessionKey;
    if (!sessionKey || !this.deps.sessions.get(sessionKey)) {
      throw new OutletError('INVALID_REQUEST', `${ctx.method} needs a session to deliver updates to (2025-era session or stdio)`);
    }
    const uri = String(ctx.params.uri);
    const server = ctx.scope.kind === 'server' ? ctx.scope.server : this.deps.catalog().resolveResource(uri).server;
    if (ctx.method === 'resources/subscribe') await this.deps.subscriptions.subscribe(server, uri, sessionKey);
    else await this.deps.subscriptions.unsubscribe(server, uri, sessionKey);
    return {};
  }

  /**
   * Records the session's threshold and passes the level on to the upstreams it sees. A shared
   * upstream has one level for all its callers; each session's own threshold still filters what
   * the outlet relays to it.
   */
  private async setLevel(ctx: CallContext): Promise<Result> {
    const session = ctx.channel ? this.deps.sessions.get(ctx.channel.sessionKey) : undefined;
    if (session) session.logLevel = String(ctx.params.level);
    const targets = ctx.scope.kind === 'server' ? [ctx.scope.server] : this.deps.supervisor.all().map((u) => u.name);
    await Promise.all(
      targets.map(async (name) => {
        const up = this.deps.supervisor.get(name);
        // 2026-07-28 removed logging/setLevel: the level rides on each request instead (forward()).
        if (up?.state !== 'connected' || up.live().isModern || !up.live().capabilities.logging) return;
        await up.live().request('logging/setLevel', { level: ctx.params.level }).catch(() => undefined);
      }),
    );
    return {};
  }

  private completionTarget(catalog: Catalog, params: Record<string, unknown>): Target {
    const ref = params.ref as { type?: string; name?: string; uri?: string } | undefined;
    if (ref?.type === 'ref/prompt' && typeof ref.name === 'string') {
      const { server, name } = catalog.resolvePrompt(ref.name);
      return { server, params: { ...params, ref: { ...ref, name } } };
    }
    if (ref?.type === 'ref/resource' && typeof ref.uri === 'string') {
      return { server: catalog.resolveResource(ref.uri).server, params };
    }
    throw new OutletError('INVALID_PARAMS', 'params.ref: expected a ref/prompt with a name or a ref/resource with a uri', { path: 'params.ref' });
  }

  private async forward(ctx: CallContext, target: Target): Promise<Result> {
    const upstream = this.deps.supervisor.get(target.server);
    if (!upstream) throw this.serverDown(target.server);
    // The representative connection: every instance of a server runs the same program, so its era
    // decides the path; the call itself goes to the instance that send() leases.
    const connection = upstream.live();
    const params = connection.isModern ? this.withCallerEnvelope(ctx, target.params) : target.params;
    // A 2026 caller in front of a 2025 upstream: the upstream's pushed questions become input_required rounds.
    if (ctx.session.era === 'modern' && !connection.isModern && INPUT_REQUIRED_METHODS.has(ctx.method) && ctx.channel) {
      // The upstream call outlives this first exchange (which may end with input_required), so it
      // runs on the bridge's own signal: cancelled while a round's caller waits and cancels, or on expiry.
      return this.deps.bridge.exchange(params, ctx.channel, ctx.signal, (forwarded, channel, upstreamSignal) => this.send({ ...ctx, signal: upstreamSignal }, upstream, forwarded, channel));
    }
    if (ctx.method === 'tools/call' && isTaskAugmented(params)) return this.taskCall(ctx, upstream, params);
    return this.send(ctx, upstream, params, ctx.channel, target.owned === true && params === target.params);
  }

  /**
   * A task-augmented tools/call (2025-11-25). Passed through when both ends speak that era and the
   * upstream advertises tasks for tools/call; the task it creates is remembered for this session.
   * Otherwise `task` is dropped and the call runs to completion as an ordinary call, which the
   * spec allows a receiver that does not support tasks to do: that covers a 2026-07-28 caller
   * (tasks left the core protocol for an extension this gateway does not offer), a 2026 upstream,
   * an upstream without tasks, and a caller without a session to own the task.
   */
  private async taskCall(ctx: CallContext, upstream: ManagedUpstream, params: Record<string, unknown>): Promise<Result> {
    const connection = upstream.live();
    const sessionKey = ctx.channel?.sessionKey;
    const supported = ctx.session.era !== 'modern' && !connection.isModern && connection.capabilities.tasks?.requests?.tools?.call !== undefined;
    if (!supported || !sessionKey) {
      const { task: _dropped, ...plain } = params;
      return this.send(ctx, upstream, plain, ctx.channel);
    }
    const result = await this.send(ctx, upstream, params, ctx.channel);
    const task = (result as { task?: { taskId?: unknown; ttl?: number | null } }).task;
    if (typeof task?.taskId === 'string') this.tasks.remember(sessionKey, task.taskId, upstream.name, task.ttl);
    return result;
  }

  /** tasks/get, tasks/result, tasks/cancel: to the upstream that created the task, for its own session only. */
  private async taskRequest(ctx: CallContext): Promise<Result> {
    const server = this.tasks.resolve(ctx.channel?.sessionKey, ctx.params.taskId, ctx.scope.kind === 'server' ? ctx.scope.server : undefined);
    const upstream = this.deps.supervisor.get(server);
    if (!upstream || upstream.state !== 'connected') throw this.serverDown(server);
    return this.send(ctx, upstream, ctx.params, ctx.channel);
  }

  /**
   * tasks/list: this session's tasks only, gathered from each upstream that holds one (a shared
   * upstream lists every client's tasks; the rest are filtered out). One page: the gateway's own
   * list is bounded by the per-session task bound.
   */
  private async listTasks(ctx: CallContext): Promise<Result> {
    const groups = this.tasks.byServer(ctx.channel?.sessionKey, ctx.scope.kind === 'server' ? ctx.scope.server : undefined);
    const tasks: unknown[] = [];
    for (const [server, ids] of groups) {
      const upstream = this.deps.supervisor.get(server);
      if (upstream?.state !== 'connected') continue;
      if (upstream.live().capabilities.tasks?.list === undefined) {
        // No tasks/list upstream: ask for each of this session's tasks by id.
        for (const taskId of ids) tasks.push(await this.send({ ...ctx, method: 'tasks/get' }, upstream, { taskId }, ctx.channel).catch(() => undefined));
        continue;
      }
      let cursor: unknown;
      for (let page = 0; page < MAX_TASK_LIST_PAGES; page++) {
        const answer = await this.send(ctx, upstream, typeof cursor === 'string' ? { cursor } : {}, ctx.channel);
        for (const task of (answer.tasks as { taskId?: unknown }[] | undefined) ?? []) if (typeof task.taskId === 'string' && ids.has(task.taskId)) tasks.push(task);
        cursor = answer.nextCursor;
        if (typeof cursor !== 'string') break;
      }
    }
    return { tasks: tasks.filter((t) => t !== undefined) };
  }

  /** Sends through the server's call path, on the connection its instance mode lends for this call. */
  private send(ctx: CallContext, upstream: ManagedUpstream, params: Record<string, unknown>, channel: ClientChannel | undefined, paramsOwned = false): Promise<Result> {
    return upstream.call({
      method: ctx.method,
      params,
      paramsOwned,
      options: {
        signal: ctx.signal,
        ...(ctx.progress ? { onprogress: ctx.progress } : {}),
        ...(channel ? { channel } : {}),
        // A 2026 caller: multi-round-trip input passes straight through when the upstream speaks 2026 too (SEP-2322).
        ...(ctx.session.era === 'modern' && INPUT_REQUIRED_METHODS.has(ctx.method) ? { passInputRequired: true } : {}),
      },
      sessionKey: ctx.channel?.sessionKey,
      // The upstream span joins this request's trace.
      caller: ctx,
    });
  }

  /**
   * What a 2026 upstream should know of the caller: a 2026 caller's own client capabilities and
   * log level (so the upstream asks only for input the caller can give, and answers -32021
   * itself otherwise), or a 2025 session's logging/setLevel threshold. The SDK client's own
   * envelope keys yield to these.
   */
  private withCallerEnvelope(ctx: CallContext, params: Record<string, unknown>): Record<string, unknown> {
    const extra: Record<string, unknown> = {};
    const caps = ctx.envelope?.[CLIENT_CAPABILITIES_META_KEY];
    if (caps !== undefined) extra[CLIENT_CAPABILITIES_META_KEY] = caps;
    const level = ctx.envelope?.[LOG_LEVEL_META_KEY] ?? (ctx.channel ? this.deps.sessions.get(ctx.channel.sessionKey)?.logLevel : undefined);
    if (level !== undefined) extra[LOG_LEVEL_META_KEY] = level;
    if (Object.keys(extra).length === 0) return params;
    const meta = (params._meta as Record<string, unknown> | undefined) ?? {};
    return { ...params, _meta: { ...extra, ...meta } };
  }

  private serverDown(server: string): OutletError {
    const up = this.deps.supervisor.get(server);
    if (!up) return new OutletError('UNKNOWN_SERVER', `no server named "${server}"`, { server });
    return new OutletError('UPSTREAM_UNAVAILABLE', `upstream "${server}" is ${up.state}${up.lastError ? `: ${up.lastError}` : ''}`, { server, state: up.state, ...(up.lastError ? { lastError: up.lastError } : {}) });
  }
}
