import type { Result } from '@modelcontextprotocol/server';
import type { Hono } from 'hono';
import type { Decision } from '../../policy/authz/policy-engine.js';
import { parseInlineServerEntry } from '../../config/parse-server-entry.js';
import { OutletError, isOutletError } from '../../errors/index.js';
import type { Gateway } from '../../gateway/gateway.js';
import { requestLogFields } from '../../observability/request-annotations.js';
import { redactErrorParts, redactOutgoing } from '../../shared/redact.js';
import type { CallContext, Principal } from '../../policy/call-context.js';
import { inlineServerRefusal } from '../../policy/inline/inline-server-allowlist.js';
import type { ConsoleLine } from '../../supervisor/console-buffer.js';
import { directContext, type DirectCall } from '../../protocol/direct-call.js';
import { readJsonBody } from '../../protocol/read-json-body.js';
import { idOf, parseRpcRequest, takeDirectives, type RpcDirectives, type RpcRequest } from './rpc-message.js';
import { OUTLET_METHODS } from './rpc-outlet-methods.js';

export interface RpcRouteOptions {
  guard: (request: Request) => Response | undefined;
  /** The principal authentication found for this request (absent when auth is off). */
  principalOf: (c: { get(key: 'auth'): { principal?: Principal } | undefined }) => Principal | undefined;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/**
 * `POST /rpc`: one JSON-RPC request per POST, answered in the body. `outlet/*` methods are the
 * outlet's own; any other method goes to a server: described inline by
 * `params._meta["outlet/server"]`, named by `params._meta["outlet/serverName"]`, or, with neither,
 * the aggregated catalog. Errors carry the gateway's codes and HTTP statuses (docs/errors.md).
 */
export function registerRpcRoute(app: Hono, gateway: Gateway, options: RpcRouteOptions): void {
  app.post('/rpc', async (c) => {
    const refused = options.guard(c.req.raw);
    if (refused) return refused;
    let id: string | number | null = null;
    try {
      const body = await readJsonBody(c.req.raw, gateway.config.http.maxBodyBytes);
      id = idOf(body);
      const request = parseRpcRequest(body);
      const principal = options.principalOf(c as never);
      const result = await answer(gateway, request, principal, c.req.raw);
      return c.json({ jsonrpc: '2.0', id: request.id, result });
    } catch (err) {
      return errorResponse(err, id);
    }
  });
}

async function answer(gateway: Gateway, request: RpcRequest, principal: Principal | undefined, http: Request): Promise<Result> {
  const own = Object.hasOwn(OUTLET_METHODS, request.method) ? OUTLET_METHODS[request.method] : undefined;
  if (own) return own(gateway, request.params, principal);
  if (request.method.startsWith('outlet/')) throw new OutletError('METHOD_NOT_FOUND', `no outlet method "${request.method}" (outlet/ping, outlet/servers, outlet/validate, outlet/trace)`, { method: request.method });
  if (request.method === 'initialize' || request.method.startsWith('notifications/')) {
    throw new OutletError('INVALID_REQUEST', `${request.method}: /rpc is stateless; the outlet initializes servers itself`, { method: request.method });
  }
  const { params, directives } = takeDirectives(request.params);
  const call: Omit<DirectCall, 'scope'> = { method: request.method, params, transport: 'rpc', rpcId: request.id, headers: http.headers, signal: http.signal, ...(principal ? { principal } : {}) };
  const lines: ConsoleLine[] = [];
  const onConsole = directives.trace ? (line: ConsoleLine) => void lines.push(line) : undefined;
  let ctx: CallContext;
  let result: Result;
  let instance: { name: string; warm: boolean } | undefined;
  if (directives.server !== undefined) {
    const ran = await gateway.inline.call(allowedInline(gateway, directives, principal), call, onConsole);
    ({ ctx, result } = ran);
    if (ran.lease) instance = { name: ran.lease.name, warm: ran.lease.warm };
  } else {
    ctx = directContext({ ...call, scope: scopeOf(gateway, directives) });
    const unsubscribe = onConsole && directives.serverName ? gateway.supervisor.get(directives.serverName)?.console.subscribe(onConsole) : undefined;
    try {
      result = await gateway.handle(ctx);
    } finally {
      unsubscribe?.();
    }
  }
  if (!directives.trace) return result;
  return withTrace(gateway, result, ctx, lines, instance);
}

function scopeOf(gateway: Gateway, directives: RpcDirectives): DirectCall['scope'] {
  const name = directives.serverName;
  if (name === undefined) return { kind: 'aggregate' };
  const entry = Object.hasOwn(gateway.config.servers, name) ? gateway.config.servers[name] : undefined;
  if (!entry?.enabled) throw new OutletError('UNKNOWN_SERVER', `params._meta["outlet/serverName"]: no enabled server named "${name}"`, { server: name });
  return { kind: 'server', server: name };
}

/** The inline entry, parsed and checked: rpc enabled, caller allowed to run servers, entry on the allowlist. */
function allowedInline(gateway: Gateway, directives: RpcDirectives, principal: Principal | undefined) {
  const { config, policies } = gateway;
  if (!config.rpc.enabled) throw new OutletError('INLINE_SERVER_REFUSED', 'params._meta["outlet/server"]: inline server configs are off (set rpc.enabled, with an allowlist)');
  if (policies.active) {
    if (!principal || principal.via === 'anonymous') throw new OutletError('INLINE_SERVER_REFUSED', 'params._meta["outlet/server"]: inline server configs need an authenticated caller');
    const decision = policies.inlineDecision(principal);
    if (decision && decision.effect !== 'allow') throw inlineNotGranted(principal, decision);
  } else if (!LOOPBACK.has(config.listen.host)) {
    // Without authentication nobody can be told apart: inline servers only for this machine.
    throw new OutletError('INLINE_SERVER_REFUSED', `params._meta["outlet/server"]: without authentication, inline server configs are served only on a loopback address (listen.host is ${config.listen.host})`);
  }
  const at = ['params', '_meta', 'outlet/server'];
  const { server, issues, refused } = parseInlineServerEntry(directives.server, config, at);
  if (refused) throw new OutletError('INLINE_SERVER_REFUSED', refused, { path: 'params._meta["outlet/server"]' });
  if (!server) throw new OutletError('INVALID_PARAMS', issues.map((i) => `${i.path}: ${i.message}`).join('\n'), { path: 'params._meta["outlet/server"]', issues });
  const refusal = inlineServerRefusal(server, config.rpc);
  if (refusal) throw new OutletError('INLINE_SERVER_REFUSED', `params._meta["outlet/server"]: ${refusal}`);
  return server;
}

/** With auth on, running inline servers is a permission of its own: the policy target `rpc:inline`. */
function inlineNotGranted(principal: Principal, decision: Exclude<Decision, { effect: 'allow' }>): OutletError {
  const why = decision.effect === 'insufficient_scope' ? `the policy granting rpc:inline needs scope ${decision.scopes.join(' ')}` : decision.reason;
  return new OutletError('INLINE_SERVER_REFUSED', `params._meta["outlet/server"]: principal "${principal.id}" may not run inline servers: ${why}`, { principal: principal.id, target: 'rpc:inline' });
}

/** The result with `_meta["outlet/trace"]`: the span tree (when traces are kept here) and the console lines of the call. */
function withTrace(gateway: Gateway, result: Result, ctx: CallContext, lines: ConsoleLine[], instance: { name: string; warm: boolean } | undefined): Result {
  const traceId = requestLogFields(ctx).traceId;
  const tree = traceId !== undefined ? gateway.observability.getTrace(traceId) : undefined;
  const trace = {
    ...(traceId !== undefined ? { traceId } : {}),
    ...(instance ? { instance } : {}),
    spans: tree?.roots ?? [],
    ...(tree ? {} : { note: traceId === undefined ? 'tracing is off (observability.tracing.enabled)' : 'spans are exported, not kept in this process' }),
    console: lines.map((l) => ({ time: new Date(l.ts).toISOString(), stream: l.stream, line: redactOutgoing(l.line) })),
  };
  const meta = (result._meta as Record<string, unknown> | undefined) ?? {};
  return { ...result, _meta: { ...meta, 'outlet/trace': trace } };
}

function errorResponse(err: unknown, id: string | number | null): Response {
  let status: number;
  let error: { code: number; message: string; data?: unknown };
  if (isOutletError(err)) {
    status = err.httpStatus;
    error = err.toJsonRpcError();
  } else if (err instanceof Error && typeof (err as { code?: unknown }).code === 'number') {
    // The server's own JSON-RPC error (the SDK's ProtocolError), passed on as it gave it; the HTTP exchange itself went fine.
    const own = err as Error & { code: number; data?: unknown };
    status = 200;
    error = redactErrorParts({ code: own.code, message: own.message, ...(own.data !== undefined ? { data: own.data } : {}) });
  } else {
    status = 500;
    error = new OutletError('INTERNAL', err instanceof Error ? err.message : String(err)).toJsonRpcError();
  }
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const retry = (error.data as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
  if (typeof retry === 'number') headers['retry-after'] = String(Math.ceil(retry));
  return new Response(JSON.stringify({ jsonrpc: '2.0', id, error }), { status, headers });
}
