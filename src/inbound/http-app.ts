import type { IncomingMessage } from 'node:http';
import { Hono } from 'hono';
import type { OutletConfig } from '../config/index.js';
import { isOutletError, type OutletError } from '../errors/index.js';
import type { Gateway } from '../gateway/gateway.js';
import { errorResponse } from './error-response.js';
import { createOriginGuard } from './origin-guard.js';
import { readNodeJsonBody } from './read-node-body.js';

export interface HttpAppOptions {
  /** Re-reads the config file (POST /api/reload). Absent when the gateway runs from an embedded config. */
  reload?: () => Promise<unknown>;
}

/**
 * The outlet's HTTP surface as one Web `Request -> Response` app (Hono), so the Node server and
 * serverless adapters serve the same thing:
 *   /mcp                    every server, namespaced, both protocol eras
 *   /servers/<name>/mcp     one server, names as the server gives them
 *   /health, /ready         liveness and per-upstream readiness
 *   /api/reload             re-read the config file
 *   /api/servers/<n>/logs   the server's recent console output
 */
/** Under @hono/node-server, a body reader on the Node request (faster than the Web stream). */
function nodeBody(env: unknown, maxBytes: number): (() => Promise<unknown>) | undefined {
  const incoming = (env as { incoming?: IncomingMessage } | undefined)?.incoming;
  if (!incoming || incoming.method !== 'POST') return undefined;
  return () => readNodeJsonBody(incoming, maxBytes);
}

export function createHttpApp(gateway: Gateway, options: HttpAppOptions = {}): Hono {
  const app = new Hono();
  const config: OutletConfig = gateway.config;
  const guard = createOriginGuard({
    listenHost: config.listen.host,
    ...(config.http.allowedHosts ? { allowedHosts: config.http.allowedHosts } : {}),
    ...(config.http.allowedOrigins ? { allowedOrigins: config.http.allowedOrigins } : {}),
  });

  app.get('/health', (c) => c.json({ status: 'ok' }));

  app.get('/ready', (c) => {
    const upstreams = gateway.supervisor.status();
    const problems = gateway.currentCatalog().problems;
    const ready = upstreams.every((u) => u.state === 'connected');
    return c.json({ ready, upstreams, problems }, ready ? 200 : 503);
  });

  app.all('/mcp', (c) => guard(c.req.raw) ?? gateway.aggregate.fetch(c.req.raw, nodeBody(c.env, config.http.maxBodyBytes)));

  app.all('/servers/:name/mcp', (c) => {
    const refused = guard(c.req.raw);
    if (refused) return refused;
    return gateway.endpointFor(c.req.param('name')).fetch(c.req.raw, nodeBody(c.env, config.http.maxBodyBytes));
  });

  // Legacy HTTP+SSE (2024-11-05) for clients still on it: the stream, and where to POST.
  app.get('/sse', (c) => guard(c.req.raw) ?? gateway.aggregate.sse.connect(c.req.raw, '/messages'));
  app.post('/messages', (c) => guard(c.req.raw) ?? gateway.aggregate.sse.post(c.req.raw));
  app.get('/servers/:name/sse', (c) => {
    const name = c.req.param('name');
    return guard(c.req.raw) ?? gateway.endpointFor(name).sse.connect(c.req.raw, `/servers/${encodeURIComponent(name)}/messages`);
  });
  app.post('/servers/:name/messages', (c) => guard(c.req.raw) ?? gateway.endpointFor(c.req.param('name')).sse.post(c.req.raw));

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
    return c.json({ server: up.name, lines: up.console.tail(limit) });
  });

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
