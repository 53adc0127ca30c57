import { Counter, Gauge, Registry, type Metric } from 'prom-client';
import { methodLabel, OTHER_LABEL } from './metric-labels.js';
import type { ObservedUpstreamStatus } from './observed-upstream.js';
import { registerProcessMetrics } from './process-metrics.js';

/** The circuit breaker states, as `outlet_circuit_breaker_state` encodes them. */
export type BreakerStateName = 'closed' | 'half-open' | 'open';
const BREAKER_VALUE: Record<BreakerStateName, number> = { closed: 0, 'half-open': 1, open: 2 };
const UPSTREAM_STATES = ['connecting', 'connected', 'backoff', 'stopped'] as const;

/**
 * Request labels. `server` and `tool` are "" when they do not apply (a list request, a non-tool
 * method). Every value comes from a closed set: a method the spec does not define, and a server
 * that is not configured (an inline `/rpc` server, a name from a URL), are counted as "other".
 */
export interface RequestLabels {
  method: string;
  server: string;
  tool: string;
  outcome: string;
}

export interface MetricsSources {
  /** What `/ready` shows: state, restarts, limit kills, instances per server. Read at scrape time. */
  status: () => readonly ObservedUpstreamStatus[];
  /** A server's circuit breaker, when the gateway passes a getter for it. */
  breakerState?: (server: string) => BreakerStateName | undefined;
}

/** Latency buckets in seconds: 1 ms to 2 min, MCP calls range from cache hits to long tool runs. */
const DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

/** A sample as prom-client's Registry renders it. */
interface Sample {
  metricName?: string;
  labels: Record<string, string | number>;
  value: number;
}

/** One label set of the request metrics: its count, latency sum, and latency histogram (per bucket, not cumulative). */
interface RequestSeries {
  labels: RequestLabels;
  count: number;
  sum: number;
  buckets: number[];
}

/**
 * The per-request counter and histogram, kept as plain numbers per label set on the request path
 * (a map lookup and three additions) and rendered for prom-client only when scraped: prom-client's
 * own counters hash and validate the labels on every call.
 */
class RequestMetrics {
  readonly series = new Set<RequestSeries>();
  /** method -> server -> tool -> outcome -> series: lookups by the label strings themselves, no key to build. */
  private readonly index = new Map<string, Map<string, Map<string, Map<string, RequestSeries>>>>();

  /** The series the last request went to: a steady workload repeats its labels, and four lookups are skipped. */
  private last: RequestSeries | undefined;

  record(method: string, server: string, tool: string, outcome: string, seconds: number): void {
    let series = this.last;
    if (series === undefined || series.labels.method !== method || series.labels.server !== server || series.labels.tool !== tool || series.labels.outcome !== outcome) {
      series = this.seriesFor(method, server, tool, outcome);
      this.last = series;
    }
    series.count++;
    series.sum += seconds;
    let i = 0;
    while (i < DURATION_BUCKETS.length && seconds > DURATION_BUCKETS[i]!) i++;
    series.buckets[i]!++;
  }

  private seriesFor(method: string, server: string, tool: string, outcome: string): RequestSeries {
    let byServer = this.index.get(method);
    if (!byServer) this.index.set(method, (byServer = new Map()));
    let byTool = byServer.get(server);
    if (!byTool) byServer.set(server, (byTool = new Map()));
    let byOutcome = byTool.get(tool);
    if (!byOutcome) byTool.set(tool, (byOutcome = new Map()));
    let series = byOutcome.get(outcome);
    if (!series) {
      series = { labels: { method, server, tool, outcome }, count: 0, sum: 0, buckets: new Array<number>(DURATION_BUCKETS.length + 1).fill(0) };
      byOutcome.set(outcome, series);
      this.series.add(series);
    }
    return series;
  }

  reset(): void {
    this.last = undefined;
    this.series.clear();
    this.index.clear();
  }

  /** `outlet_requests_total` and `outlet_request_duration_seconds`, as objects a prom-client Registry renders. */
  metrics(): Metric[] {
    const counter = {
      name: 'outlet_requests_total',
      help: 'MCP requests handled, by method, upstream server, tool (catalog tools only, else "other") and outcome ("ok", "tool_error", or the error code in lower case).',
      type: 'counter',
      aggregator: 'sum',
      get: async () => ({ ...counter, values: [...this.series.values()].map((s): Sample => ({ labels: { ...s.labels }, value: s.count })) }),
      reset: () => this.reset(),
    };
    const histogram = {
      name: 'outlet_request_duration_seconds',
      help: 'Time from an MCP request entering the policy chain to its answer, in seconds.',
      type: 'histogram',
      aggregator: 'sum',
      get: async () => {
        const values: Sample[] = [];
        for (const s of this.series.values()) {
          let cumulative = 0;
          DURATION_BUCKETS.forEach((le, i) => {
            cumulative += s.buckets[i]!;
            values.push({ metricName: `${histogram.name}_bucket`, labels: { le, ...s.labels }, value: cumulative });
          });
          values.push({ metricName: `${histogram.name}_bucket`, labels: { le: '+Inf', ...s.labels }, value: s.count });
          values.push({ metricName: `${histogram.name}_sum`, labels: { ...s.labels }, value: s.sum });
          values.push({ metricName: `${histogram.name}_count`, labels: { ...s.labels }, value: s.count });
        }
        return { ...histogram, values };
      },
      reset: () => this.reset(),
    };
    return [counter, histogram] as unknown as Metric[];
  }
}

/**
 * The outlet's Prometheus metrics, in a registry of its own (two gateways in one process do not
 * collide, and the application's default registry is left alone). Request metrics move on each
 * call; upstream metrics are read from the supervisor's status when scraped, so they cost nothing
 * between scrapes.
 */
export class OutletMetrics {
  readonly registry = new Registry();
  private readonly requests = new RequestMetrics();
  private inFlight = 0;
  private readonly timeouts: Counter<'server'>;
  private readonly queueRejections: Counter<'server'>;
  private readonly connects: Counter<'server' | 'outcome'>;
  private readonly tokens: Counter<'mode' | 'kind'>;
  private readonly budget: Counter<'action'>;
  /** One status read per scrape, shared by every upstream collector. */
  private snapshot?: readonly ObservedUpstreamStatus[];
  /** The configured server names, re-read at each scrape and at most once a second on a miss. */
  private servers = new Set<string>();
  private serversReadAt = 0;
  private readonly sources: MetricsSources;

  constructor(sources: MetricsSources, options: { processMetrics: boolean }) {
    this.sources = sources;
    const registers = [this.registry];
    for (const metric of this.requests.metrics()) this.registry.registerMetric(metric);
    const inFlight = () => this.inFlight;
    new Gauge({
      name: 'outlet_requests_in_flight',
      help: 'MCP requests being handled now.',
      registers,
      collect() {
        this.set(inFlight());
      },
    });
    this.timeouts = new Counter({ name: 'outlet_upstream_timeouts_total', help: 'Upstream requests that ran out of time (UPSTREAM_TIMEOUT).', labelNames: ['server'], registers });
    this.queueRejections = new Counter({ name: 'outlet_queue_rejections_total', help: 'Upstream requests refused because the server\'s queue was full (GATEWAY_BUSY).', labelNames: ['server'], registers });
    this.connects = new Counter({ name: 'outlet_upstream_connects_total', help: 'Upstream connection attempts (spawn and handshake), by outcome ("ok" or "error").', labelNames: ['server', 'outcome'], registers });
    this.tokens = new Counter({ name: 'outlet_tokens_total', help: 'Tokens (o200k) the gateway returned, by code mode ("mcp", "code", "hybrid") and kind ("list": tools/list, "search": search_tools, "result": tool results).', labelNames: ['mode', 'kind'], registers });
    this.budget = new Counter({ name: 'outlet_tokens_budget_total', help: 'Tool results over codeMode.maxResultTokens, by what was done ("cut" or "refused").', labelNames: ['action'], registers });

    const statuses = () => {
      if (!this.snapshot) {
        this.snapshot = sources.status();
        this.servers = new Set(this.snapshot.map((s) => s.name));
        this.serversReadAt = Date.now();
      }
      return this.snapshot;
    };
    new Gauge({
      name: 'outlet_upstream_up',
      help: '1 when the upstream server is connected, else 0.',
      labelNames: ['server'],
      registers,
      collect() {
        this.reset();
        for (const s of statuses()) this.set({ server: s.name }, s.state === 'connected' ? 1 : 0);
      },
    });
    new Gauge({
      name: 'outlet_upstream_state',
      help: 'The upstream server\'s supervision state: 1 for the current state, 0 for the others.',
      labelNames: ['server', 'state'],
      registers,
      collect() {
        this.reset();
        for (const s of statuses()) for (const state of UPSTREAM_STATES) this.set({ server: s.name, state }, s.state === state ? 1 : 0);
      },
    });
    new Counter({
      name: 'outlet_upstream_restarts_total',
      help: 'Times the supervisor restarted the upstream server after a failure (since it was last configured).',
      labelNames: ['server'],
      registers,
      collect() {
        this.reset();
        for (const s of statuses()) this.inc({ server: s.name }, s.restarts);
      },
    });
    new Gauge({
      name: 'outlet_upstream_instances',
      help: 'Connections (processes, for stdio servers) the upstream server has now, by instance mode.',
      labelNames: ['server', 'mode'],
      registers,
      collect() {
        this.reset();
        for (const s of statuses()) {
          const primary = s.state === 'connected' ? 1 : 0;
          this.set({ server: s.name, mode: s.instances?.mode ?? 'shared' }, primary + (s.instances?.running ?? 0));
        }
      },
    });
    new Counter({
      name: 'outlet_sandbox_kills_total',
      help: 'Server processes killed for a sandbox limit (memory, wallClock, output).',
      labelNames: ['server', 'limit'],
      registers,
      collect() {
        this.reset();
        for (const s of statuses()) for (const [limit, n] of Object.entries(s.killedForLimit ?? {})) this.inc({ server: s.name, limit }, n);
      },
    });
    const breakerState = sources.breakerState;
    if (breakerState) {
      new Gauge({
        name: 'outlet_circuit_breaker_state',
        help: 'The upstream server\'s circuit breaker: 0 closed, 1 half-open, 2 open.',
        labelNames: ['server'],
        registers,
        collect() {
          this.reset();
          for (const s of statuses()) this.set({ server: s.name }, BREAKER_VALUE[breakerState(s.name) ?? 'closed']);
        },
      });
    }
    if (options.processMetrics) registerProcessMetrics(this.registry);
  }

  requestStarted(): void {
    this.inFlight++;
  }

  /** A request ended; the labels are those of RequestLabels. */
  requestFinished(method: string, server: string, tool: string, outcome: string, seconds: number): void {
    this.inFlight--;
    this.requests.record(methodLabel(method), this.serverLabel(server), tool, outcome, seconds);
  }

  /** An upstream request failed with this gateway code. */
  upstreamFailed(server: string, code: string | undefined): void {
    if (code === 'UPSTREAM_TIMEOUT') this.timeouts.inc({ server: this.serverLabel(server) });
    else if (code === 'GATEWAY_BUSY') this.queueRejections.inc({ server: this.serverLabel(server) });
  }

  /** Tokens returned by an endpoint (tokensChannel). */
  tokensReturned(mode: string, kind: string, tokens: number, budget: string | undefined): void {
    this.tokens.inc({ mode, kind }, tokens);
    if (budget) this.budget.inc({ action: budget });
  }

  connectFinished(server: string, ok: boolean): void {
    this.connects.inc({ server: this.serverLabel(server), outcome: ok ? 'ok' : 'error' });
  }

  /** A configured server's name as is; any other name (inline, unknown) as "other". */
  private serverLabel(server: string): string {
    if (server === '' || this.servers.has(server)) return server;
    // A server added by a reload is learned here; the read is rate-limited so unknown names stay cheap.
    const now = Date.now();
    if (now - this.serversReadAt >= 1000) {
      this.serversReadAt = now;
      this.servers = new Set(this.sources.status().map((s) => s.name));
      if (this.servers.has(server)) return server;
    }
    return OTHER_LABEL;
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** The Prometheus text exposition of every metric. */
  async text(): Promise<string> {
    this.snapshot = undefined;
    try {
      return await this.registry.metrics();
    } finally {
      this.snapshot = undefined;
    }
  }
}
