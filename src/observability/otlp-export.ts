import { createRequire } from 'node:module';
import type * as OtelCore from '@opentelemetry/core';
import type { ExportResult } from '@opentelemetry/core';
import type * as OtlpHttp from '@opentelemetry/exporter-trace-otlp-http';
import type * as OtelResources from '@opentelemetry/resources';
import type { Resource } from '@opentelemetry/resources';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { Logger } from './logger.js';
import { attributesOf, type SpanData, type SpanSink } from './spans.js';

/**
 * The OpenTelemetry packages behind the exporter cost about 20 MB of memory together: loaded on
 * first use, by a gateway that exports spans (most keep them in process, or trace nothing).
 */
const otel = (() => {
  let loaded: { core: typeof OtelCore; exporter: typeof OtlpHttp; resources: typeof OtelResources } | undefined;
  return () => {
    if (!loaded) {
      const require = createRequire(import.meta.url);
      loaded = {
        core: require('@opentelemetry/core') as typeof OtelCore,
        exporter: require('@opentelemetry/exporter-trace-otlp-http') as typeof OtlpHttp,
        resources: require('@opentelemetry/resources') as typeof OtelResources,
      };
    }
    return loaded;
  };
})();

/** The OTLP/HTTP traces URL for a configured endpoint: a bare origin gets `/v1/traces`. */
export function otlpTracesUrl(endpoint: string): string {
  const url = new URL(endpoint);
  if (url.pathname === '/' || url.pathname === '') url.pathname = '/v1/traces';
  return url.toString();
}

const hr = (ms: number): [number, number] => {
  const seconds = Math.floor(ms / 1000);
  return [seconds, Math.round((ms - seconds * 1000) * 1e6)];
};

const SCOPE = { name: 'mcp-outlet', version: '0.1.0' };

/** A recorded span in the shape OpenTelemetry's exporters take (the SDK's ReadableSpan). */
export function toReadableSpan(span: SpanData, resource: Resource): ReadableSpan {
  const traceState = span.traceState ? new (otel().core.TraceState)(span.traceState) : undefined;
  return {
    name: span.name,
    kind: span.kind,
    spanContext: () => ({ traceId: span.traceId, spanId: span.spanId, traceFlags: span.traceFlags, ...(traceState ? { traceState } : {}) }),
    ...(span.parentSpanId ? { parentSpanContext: { traceId: span.traceId, spanId: span.parentSpanId, traceFlags: span.traceFlags, isRemote: span.parentIsRemote === true } } : {}),
    startTime: hr(span.startTime),
    endTime: hr(span.endTime),
    duration: hr(span.endTime - span.startTime),
    status: span.status,
    attributes: attributesOf(span),
    links: [],
    events: (span.events ?? []).map((e) => ({ name: e.name, time: hr(e.time), attributes: e.attributes, droppedAttributesCount: 0 })),
    ended: true,
    resource,
    instrumentationScope: SCOPE,
    droppedAttributesCount: 0,
    droppedEventsCount: 0,
    droppedLinksCount: 0,
  };
}

export interface OtlpOptions {
  endpoint: string;
  headers: Record<string, string>;
  timeoutMs: number;
  batchDelayMs: number;
  serviceName: string;
  /** Spans waiting for export beyond this are dropped (and counted in the log). */
  maxQueue?: number;
  maxBatch?: number;
}

/**
 * Batches finished spans and sends them with OpenTelemetry's OTLP/HTTP (JSON) exporter: every
 * `batchDelayMs`, or as soon as a batch is full. The conversion to the exporter's span shape
 * happens here, off the request path. Export failures go to the application log (at most one
 * line a minute); a full queue drops new spans rather than growing.
 */
export class OtlpBatcher implements SpanSink {
  private readonly exporter: SpanExporter;
  private readonly resource: Resource;
  private readonly url: string;
  private queue: SpanData[] = [];
  private timer?: NodeJS.Timeout;
  private exporting: Promise<void> = Promise.resolve();
  private dropped = 0;
  private lastReport = 0;
  private closed = false;
  private readonly maxQueue: number;
  private readonly maxBatch: number;

  constructor(
    private readonly options: OtlpOptions,
    private readonly logger: Logger,
    exporter?: SpanExporter,
  ) {
    this.url = otlpTracesUrl(options.endpoint);
    this.exporter = exporter ?? new (otel().exporter.OTLPTraceExporter)({ url: this.url, headers: options.headers, timeoutMillis: options.timeoutMs });
    this.resource = otel().resources.resourceFromAttributes({ 'service.name': options.serviceName });
    this.maxQueue = options.maxQueue ?? 4096;
    this.maxBatch = options.maxBatch ?? 512;
  }

  onEnd(span: SpanData): void {
    if (this.closed) return;
    if (this.queue.length >= this.maxQueue) {
      this.dropped++;
      return;
    }
    this.queue.push(span);
    if (this.queue.length >= this.maxBatch) this.schedule(0);
    else this.schedule(this.options.batchDelayMs);
  }

  /** Exports everything queued now; resolves when the collector has answered. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.exporting = this.exporting.then(() => this.drain());
    return this.exporting;
  }

  async shutdown(): Promise<void> {
    await this.flush();
    this.closed = true;
    await this.exporter.shutdown();
  }

  private schedule(delayMs: number): void {
    if (this.timer && delayMs > 0) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.flush(), delayMs);
    this.timer.unref();
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      const result = await new Promise<ExportResult>((resolve) => this.exporter.export(batch.map((s) => toReadableSpan(s, this.resource)), resolve));
      if (result.code !== otel().core.ExportResultCode.SUCCESS) this.report(`OTLP export failed; ${batch.length} spans dropped`, result.error?.message);
    }
    if (this.dropped > 0) {
      this.report(`OTLP export queue full; ${this.dropped} spans dropped`);
      this.dropped = 0;
    }
  }

  private report(message: string, reason?: string): void {
    if (Date.now() - this.lastReport < 60_000) return;
    this.lastReport = Date.now();
    this.logger.warn({ url: this.url, ...(reason ? { reason } : {}) }, message);
  }
}
