import type { ObservabilityHandle } from '../../observability/index.js';
import { registerObservabilityRoutes } from './observability-routes.js';
import { registerRpcRoute } from '../rpc/rpc-route.js';
import { registerRestRoutes } from '../rest/rest-routes.js';
import type { IncomingMessage } from 'node:http';
import { Hono } from 'hono';
import { createPolicyLayer, type PolicyLayer } from '../../policy/policy-layer.js';
import type { Authenticated } from '../../policy/http-policy.js';
import type { OutletConfig } from '../../config/index.js';
import { isOutletError, type OutletError } from '../../errors/index.js';
import type { Gateway } from '../../gateway/gateway.js';
import { redactOutgoing } from '../../shared/redact.js';
import { attachNodeHeaders } from '../../protocol/trace-carrier.js';
import { errorResponse } from '../../protocol/error-response.js';
import type { McpEndpoint } from '../../protocol/mcp-endpoint.js';
import { createOriginGuard } from './origin-guard.js';
import { readNodeJsonBody } from './read-node-body.js';

export interface HttpAppOptions {
  /** Re-reads the config file (POST /api/reload). Absent when the gateway runs from an embedded config. */
  reload?: () => Promise<unknown>;
}

/**
 * What the HTTP app needs of the gateway. `policies` is the gateway's policy layer; a gateway
 * view without one gets an inert layer of its own, with only the default input limits.
 */
export type HttpGateway = Pick<Gateway, 'config' | 'supervisor' | 'aggregate' | 'logger' | 'currentCatalog' | 'endpointFor'> & {
  readonly policies?: PolicyLayer;
  /** Read on every request: a reload may replace it. */
  readonly observability?: ObservabilityHandle;
};

/**
 * The outlet's HTTP surface as one Web `Request -> Response` app (Hono), so the Node server and
 * serverless adapters serve the same thing:
 *   /mcp                    every server, namespaced, both protocol eras
 *   /servers/<name>/mcp     one server, names as the server gives them
 *   /health, /ready         liveness and per-upstream readiness
 *   /api/reload             re-read the config file
 *   /api/servers/<n>/logs   the server's recent console output
 *   /metrics, /api/traces   Prometheus metrics and recent traces
 */
/** Under @hono/node-server, a body reader on the Node request (faster than the Web stream). */
function nodeBody(incoming: IncomingMessage | undefined, maxBytes: number, maxDepth: number): (() => Promise<unknown>) | undefined {
  if (!incoming || incoming.method !== 'POST') return undefined;
  return () => readNodeJsonBody(incoming, maxBytes, maxDepth);
}

export function createHttpApp(gateway: HttpGateway, options: HttpAppOptions = {}): Hono<{ Variables: { auth?: Authenticated } }> {
  const app = new Hono<{ Variables: { auth?: Authenticated } }>();
  const config: OutletConfig = gateway.config;
  const guard = createOriginGuard({
    listenHost: config.listen.host,
    ...(config.http.allowedHosts ? { allowedHosts: config.http.allowedHosts } : {}),
    ...(config.http.allowedOrigins ? { allowedOrigins: config.http.allowedOrigins } : {}),
  });
  // A gateway view without a policy layer of its own (an embedding that builds one by hand) still gets the input limits.
  const security = (gateway.policies ?? createPolicyLayer(config, { logger: gateway.logger, catalog: () => gateway.currentCatalog() })).http;

  /**
   * Authentication of every path but the public ones: origin first, then credentials (chain
   * order 1, 2). The RFC 9728 metadata documents are always public.
   */
  app.use('*', async (c, next) => {
    const metadata = security.metadataResponse(c.req.raw);
    if (metadata) return metadata;
    if (!security.active || security.isPublicPath(c.req.path)) return next();
    const refused = guard(c.req.raw);
    if (refused) return refused;
    const outcome = await security.authenticate(c.req.raw);
    if (!outcome.ok) return outcome.response;
    c.set('auth', { ...(outcome.principal ? { principal: outcome.principal } : {}), ...(outcome.authInfo ? { authInfo: outcome.authInfo } : {}) });
    await next();
  });

  // REST tools: authorized per tool by the chain, so registered before the admin check.
  registerRestRoutes(app, gateway, { guard, security });

  // The operator endpoints need an admin role when auth is on.
  app.use('/api/*', async (c, next) => {
    const roles = security.adminRoles;
    const principal = c.get('auth')?.principal;
    if (roles && principal && !roles.some((r) => principal.roles.includes(r))) {
      return c.json({ ok: false, error: `forbidden: /api/* needs one of the roles ${roles.join(', ')}` }, 403);
    }
    await next();
  });

  /** Serves one MCP request on an endpoint, with the caller's identity and how refusals are answered over HTTP. */
  const serve = (endpoint: McpEndpoint, raw: Request, path: string, env: unknown, auth: Authenticated | undefined) => {
    const incoming = (env as { incoming?: IncomingMessage } | undefined)?.incoming;
    if (incoming) attachNodeHeaders(raw, incoming.headers);
    return endpoint.fetch(raw, nodeBody(incoming, config.http.maxBodyBytes, maxJsonDepth), security.inbound(path, auth ?? {}));
  };
  const maxJsonDepth = config.http.maxJsonDepth;

  app.get('/health', (c) => c.json({ status: 'ok' }));

  app.get('/ready', (c) => {
    const upstreams = gateway.supervisor.status();
    const problems = gateway.currentCatalog().problems;
    const ready = upstreams.every((u) => u.state === 'connected');
    return c.json({ ready, upstreams, problems }, ready ? 200 : 503);
  });

  app.all('/mcp', (c) => guard(c.req.raw) ?? serve(gateway.aggregate, c.req.raw, c.req.path, c.env, c.get('auth')));

  app.all('/servers/:name/mcp', (c) => {
    const refused = guard(c.req.raw);
    if (refused) return refused;
    const name = c.req.param('name');
    return serve(gateway.endpointFor(name), c.req.raw, c.req.path, c.env, c.get('auth'));
  });

  // Legacy HTTP+SSE (2024-11-05) for clients still on it: the stream, and where to POST.
  app.get('/sse', (c) => guard(c.req.raw) ?? gateway.aggregate.sse.connect(c.req.raw, '/messages', security.inbound(c.req.path, c.get('auth') ?? {})));
  app.post('/messages', (c) => guard(c.req.raw) ?? gateway.aggregate.sse.post(c.req.raw, security.inbound(c.req.path, c.get('auth') ?? {})));
  app.get('/servers/:name/sse', (c) => {
    const name = c.req.param('name');
    const inbound = security.inbound(c.req.path, c.get('auth') ?? {});
    return guard(c.req.raw) ?? gateway.endpointFor(name).sse.connect(c.req.raw, `/servers/${encodeURIComponent(name)}/messages`, inbound);
  });
  app.post('/servers/:name/messages', (c) => {
    const name = c.req.param('name');
    return guard(c.req.raw) ?? gateway.endpointFor(name).sse.post(c.req.raw, security.inbound(c.req.path, c.get('auth') ?? {}));
  });

  app.post('/api/reload', async (c) => {
    const refused = guard(c.req.raw);
    if (refused) return refused;
    if (!options.reload) return c.json({ ok: false, error: 'this gateway runs from an embedded config; there is no file to reload' }, 409);
    const result = await options.reload();
    return c.json({ ok: true, ...(result as object) });
  });

  app.get('/api/servers/:name/logs', (c) => {
    const up = gateway.supervisor.require(c.req.param('name'));
    const limit = Math.min(Number(c.req.query('limit') ?? 200) || 200, 1000);
    // Servers print the URLs and tokens they use; the lines leave the process here, so they pass
    // the same outgoing redaction as errors and status.
    const lines = up.console.tail(limit).map((entry) => ({ ...entry, line: redactOutgoing(entry.line) }));
    return c.json({ server: up.name, lines });
  });

  // GET /metrics, /api/traces, /api/traces/:id.
  if (gateway.observability) registerObservabilityRoutes(app as unknown as Hono, () => gateway.observability!, { guard });
  // POST /rpc: needs the whole gateway (inline servers).
  if ('inline' in gateway) registerRpcRoute(app as unknown as Hono, gateway as Gateway, { guard, principalOf: (c) => c.get('auth')?.principal });

  app.notFound((c) => c.json({ error: `no route for ${c.req.method} ${new URL(c.req.url).pathname}` }, 404));

  app.onError((err, c) => {
    if (isOutletError(err)) {
      const e = err as OutletError;
      if (new URL(c.req.url).pathname.endsWith('/mcp')) return errorResponse(e);
      return c.json({ ok: false, error: e.message, code: e.code }, e.httpStatus as 400);
    }
    gateway.logger.error({ err }, 'unhandled error in HTTP handler');
    return c.json({ ok: false, error: 'internal error' }, 500);
  });

  return app;
}
