import { CLIENT_CAPABILITIES_META_KEY, LOG_LEVEL_META_KEY, McpServer, type Server, ProtocolError, type ServerCapabilities, type ServerContext, type StandardSchemaV1, specTypeSchemas } from '@modelcontextprotocol/server';
import { outletAuthOf } from '../policy/authn/principal.js';
import { redactErrorParts } from '../shared/redact.js';
import { toProtocolError } from '../errors/index.js';
import type { CallContext, Handler, RequestScope, SessionInfo } from '../policy/call-context.js';
import { createCallContext } from './call-context.js';
import { admittedRun } from './admission.js';
import { channelFromContext } from './client-channel.js';
import { allowTaskResults } from './task-call-results.js';
import { traceCarrierOf } from './trace-carrier.js';

/** The methods the gateway answers by routing; everything the SDK handles itself (ping, initialize, discover) is not here. */
const ROUTED_METHODS: readonly (readonly [string, keyof ServerCapabilities])[] = [
  ['tools/list', 'tools'],
  ['tools/call', 'tools'],
  ['prompts/list', 'prompts'],
  ['prompts/get', 'prompts'],
  ['resources/list', 'resources'],
  ['resources/templates/list', 'resources'],
  ['resources/read', 'resources'],
  ['completion/complete', 'completions'],
  ['logging/setLevel', 'logging'],
];

/** The params part of an SDK request schema (a zod object at run time, typed only as a Standard Schema). */
const paramsOf = (schema: unknown) => (schema as { shape: { params: StandardSchemaV1 } }).shape.params;

/** The task methods and the SDK's own schema of their params. */
const TASK_REQUESTS = [
  ['tasks/get', paramsOf(specTypeSchemas.GetTaskRequest)],
  ['tasks/result', paramsOf(specTypeSchemas.GetTaskPayloadRequest)],
  ['tasks/cancel', paramsOf(specTypeSchemas.CancelTaskRequest)],
  ['tasks/list', paramsOf(specTypeSchemas.ListTasksRequest)],
] as const;

export const GATEWAY_INFO = { name: 'mcp-outlet', version: '0.1.0' };

export interface GatewayServerOptions {
  scope: RequestScope;
  session: SessionInfo;
  /** The policy chain composed around the router. */
  handle: Handler;
  capabilities: ServerCapabilities;
  instructions?: string;
  /** Identifies the inbound session when the transport has no session id (stdio, 2026 requests). */
  sessionKey: string;
  /** A tool's input schema by the name this endpoint publishes it under (SEP-2243 header checks). */
  toolInputSchema?: (name: string) => Record<string, unknown> | undefined;
}

/**
 * Builds one SDK `Server` that speaks MCP to one client (a stateful session, one stateless
 * request, or a stdio connection) and hands every routed request to the policy chain. The SDK owns
 * the wire (era, envelope, schema validation, ping); this owns the parsed view (`CallContext`).
 */
export function createGatewayServer(options: GatewayServerOptions): McpServer {
  // An McpServer shell with no tools of its own: its low-level server carries the routed handlers,
  // and the SDK's HTTP entry then checks SEP-2243 Mcp-Param-* headers against the schema we name.
  const mcp = new McpServer(GATEWAY_INFO, {
    capabilities: options.capabilities,
    ...(options.instructions ? { instructions: options.instructions } : {}),
  });
  const lookup = options.toolInputSchema;
  mcp.toolInputSchemaJson = (name: string) => lookup?.(name);
  const server = mcp.server;
  // Before any handler is registered: the hook applies at registration.
  if (options.capabilities.tasks) allowTaskResults(server);
  const register = server.setRequestHandler.bind(server) as (m: string, h: (req: { params?: Record<string, unknown> }, ctx: ServerContext) => Promise<unknown>) => void;
  // Calls still running when the client goes away (session deleted, stream or pipe closed) are
  // cancelled upstream: the SDK does not abort a handler when its transport closes, and a
  // cancellation sent just before a DELETE can be lost.
  const running = new Set<AbortController>();
  server.onclose = () => {
    for (const controller of running) controller.abort(new Error('the client session closed'));
    running.clear();
  };
  const run = async (method: string, params: Record<string, unknown>, sctx: ServerContext): Promise<unknown> => {
    const controller = new AbortController();
    const onAbort = () => controller.abort(sctx.mcpReq.signal.reason);
    if (sctx.mcpReq.signal.aborted) onAbort();
    else sctx.mcpReq.signal.addEventListener('abort', onAbort, { once: true });
    running.add(controller);
    // Relayed notifications go out in order, one after another; the chain is awaited before the
    // result is sent, so the last progress update cannot be overtaken by the response.
    let pending: Promise<void> = Promise.resolve();
    const token = (params._meta as { progressToken?: string | number } | undefined)?.progressToken;
    // Progress goes back on the caller's own token (spec: utilities/progress), whatever token the
    // gateway used upstream.
    const progress: CallContext['progress'] =
      token === undefined
        ? undefined
        : (p) => {
            pending = pending.then(() => sctx.mcpReq.notify({ method: 'notifications/progress', params: { progressToken: token, ...p } })).catch(() => undefined);
          };
    const ctx = buildContext(method, params, sctx, options, controller.signal, server, progress);
    try {
      // A request the HTTP layer admitted has had its policies run there: this handler takes
      // that run over (its router call and the way back out). Any other runs the chain here.
      const admitted = admittedRun(sctx.http?.req);
      return await (admitted ? admitted.claim(ctx) : options.handle(ctx));
    } catch (err) {
      throw withoutSecrets(toProtocolError(err));
    } finally {
      running.delete(controller);
      sctx.mcpReq.signal.removeEventListener('abort', onAbort);
      // Notifications relayed during the call must reach the client before its result.
      await pending;
    }
  };
  const route = (method: string) => register(method, (request, sctx) => run(method, request.params ?? {}, sctx));
  const taskSchemas = new Map<string, StandardSchemaV1>(TASK_REQUESTS);
  for (const method of routedMethods(options.capabilities)) {
    const schema = taskSchemas.get(method);
    // 2025-11-25 tasks: the SDK has no typed surface for them, so each is registered with its own
    // wire schema (which also keeps them out of the 2026-07-28 era, where tasks are an extension).
    if (schema) server.setRequestHandler(method, { params: schema }, (params, sctx) => run(method, params as Record<string, unknown>, sctx) as never);
    else route(method);
  }
  return mcp;
}

/**
 * The methods a server with these capabilities hands to the gateway (everything else the SDK
 * answers itself). A per-server endpoint mirrors its upstream: no handler for what it does not
 * offer (the client then gets the SDK's own method-not-found, as from the server itself).
 */
function routedMethods(capabilities: ServerCapabilities): string[] {
  const methods = ROUTED_METHODS.filter(([, capability]) => capabilities[capability]).map(([method]) => method);
  if (capabilities.resources?.subscribe) methods.push('resources/subscribe', 'resources/unsubscribe');
  if (capabilities.tasks) methods.push(...TASK_REQUESTS.map(([method]) => method));
  return methods;
}

/** Whether a server with these capabilities hands `method` to the gateway (the HTTP layer admits only those). */
export function routesMethod(method: string, capabilities: ServerCapabilities): boolean {
  return routedMethods(capabilities).includes(method);
}

/**
 * On a 2026-07-28 retry the SDK lifts `inputResponses` and `requestState` out of the params into
 * the context (SEP-2322); a gateway forwards the request, so it puts them back.
 */
function withRetryParams(params: Record<string, unknown>, sctx: ServerContext): Record<string, unknown> {
  const inputResponses = sctx.mcpReq.inputResponses;
  const requestState = sctx.mcpReq.requestState<string>();
  if (inputResponses === undefined && requestState === undefined) return params;
  return { ...params, ...(inputResponses !== undefined ? { inputResponses } : {}), ...(requestState !== undefined ? { requestState } : {}) };
}

/**
 * An error on its way to the client never carries a secret: an upstream's message that quotes a
 * bearer token or a URL with credentials is scrubbed. Errors with nothing to scrub pass as they
 * are (same object, same subclass). The one outgoing redaction of observability/redact.ts.
 */
function withoutSecrets(err: ProtocolError): ProtocolError {
  const { message, data } = redactErrorParts({ message: err.message, data: err.data as unknown });
  if (message === err.message && JSON.stringify(data) === JSON.stringify(err.data)) return err;
  return new ProtocolError(err.code, message, data);
}

function buildContext(
  method: string,
  rawParams: Record<string, unknown>,
  sctx: ServerContext,
  options: GatewayServerOptions,
  signal: AbortSignal,
  server: Server,
  progress: CallContext['progress'],
): CallContext {
  const params = options.session.era === 'modern' ? withRetryParams(rawParams, sctx) : rawParams;
  const envelope = sctx.mcpReq.envelope as Record<string, unknown> | undefined;
  const auth = outletAuthOf(sctx.http?.authInfo);
  return createCallContext(method, params, {
    scope: options.scope,
    session: { ...options.session, ...(sctx.sessionId ? { id: sctx.sessionId } : {}) },
    // The principal the HTTP layer authenticated; the raw token stays in the SDK's authInfo.
    principal: auth?.principal,
    signal,
    // The HTTP headers carry W3C trace context (traceparent) for the inbound span.
    headers: sctx.http?.req ? traceCarrierOf(sctx.http.req) : undefined,
    rpcId: sctx.mcpReq.id,
    progress,
    channel: channelFromContext(
      sctx,
      sctx.sessionId ?? options.sessionKey,
      options.session.era,
      envelope?.[LOG_LEVEL_META_KEY] as string | undefined,
      // 2026: what this request's envelope declares; 2025: what the session declared at initialize.
      () => (envelope?.[CLIENT_CAPABILITIES_META_KEY] as Record<string, unknown> | undefined) ?? (options.session.era === 'legacy' ? server.getClientCapabilities() : undefined),
    ),
    envelope,
    state: new Map(),
  });
}
