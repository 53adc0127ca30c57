import type { Hono } from 'hono';
import type { ObservabilityHandle } from '../../observability/install.js';
import type { TraceFilter } from '../../observability/trace-store.js';

export interface ObservabilityRoutesOptions {
  /**
   * The HTTP app's Host/Origin check (DNS rebinding). Traces hold redacted payloads and console
   * lines: a page in the user's browser must not read them. Returns a refusal, or undefined to go on.
   */
  guard?: (request: Request) => Response | undefined;
}

/**
 * The observability endpoints on the outlet's Hono app:
 *   GET /metrics          Prometheus text exposition
 *   GET /api/traces       recent traces (?server=&tool=&method=&status=ok|error&minDurationMs=&limit=)
 *   GET /api/traces/:id   one trace as a span tree
 *
 * `handle` may be a getter, for a gateway that reinstalls observability when its config is reloaded.
 */
export function registerObservabilityRoutes(app: Hono, handle: ObservabilityHandle | (() => ObservabilityHandle), options: ObservabilityRoutesOptions = {}): void {
  const guard = options.guard ?? (() => undefined);
  const current = typeof handle === 'function' ? handle : () => handle;

  app.get('/metrics', async (c) => {
    const refused = guard(c.req.raw);
    if (refused) return refused;
    const observability = current();
    if (!observability.metricsEnabled) return c.json({ error: 'metrics are off (observability.metrics.enabled)' }, 404);
    return c.body(await observability.metricsText(), 200, { 'content-type': observability.metricsContentType });
  });

  app.get('/api/traces', (c) => {
    const refused = guard(c.req.raw);
    if (refused) return refused;
    const observability = current();
    if (!observability.keepsTraces) return c.json({ error: notKept(observability) }, 404);
    const parsed = parseFilter(c.req.query());
    if (typeof parsed === 'string') return c.json({ error: parsed }, 400);
    return c.json({ traces: observability.listTraces(parsed) });
  });

  app.get('/api/traces/:id', (c) => {
    const refused = guard(c.req.raw);
    if (refused) return refused;
    const observability = current();
    if (!observability.keepsTraces) return c.json({ error: notKept(observability) }, 404);
    const id = c.req.param('id');
    if (!/^[0-9a-f]{32}$/i.test(id)) return c.json({ error: `"${id}" is not a trace id (32 hex digits)` }, 400);
    const tree = observability.getTrace(id);
    if (!tree) return c.json({ error: `no trace ${id} in the store (it keeps the last ${observability.config.tracing.maxTraces})` }, 404);
    return c.json(tree);
  });
}

function notKept(observability: ObservabilityHandle): string {
  if (!observability.config.tracing.enabled) return 'tracing is off (observability.tracing.enabled)';
  return `traces are exported to ${observability.config.otlp.endpoint ?? 'the OTLP endpoint'}, not kept in process (observability.tracing.inProcess)`;
}

/** The query of GET /api/traces as a filter, or what is wrong with it. */
export function parseFilter(query: Record<string, string>): TraceFilter | string {
  const filter: TraceFilter = {};
  for (const key of ['server', 'tool', 'method'] as const) if (query[key]) filter[key] = query[key];
  if (query.status) {
    if (query.status !== 'ok' && query.status !== 'error') return 'status: expected "ok" or "error"';
    filter.status = query.status;
  }
  if (query.minDurationMs !== undefined) {
    const n = Number(query.minDurationMs);
    if (!Number.isFinite(n) || n < 0) return 'minDurationMs: expected a number of milliseconds';
    filter.minDurationMs = n;
  }
  if (query.limit !== undefined) {
    const n = Number(query.limit);
    if (!Number.isInteger(n) || n < 1) return 'limit: expected a positive integer';
    filter.limit = n;
  }
  return filter;
}
