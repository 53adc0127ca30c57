import type { Logger } from './logger.js';
import type { ObservabilityConfig } from '../config/observability-schema.js';
import { OtlpBatcher } from './otlp-export.js';
import { Tracer, type SpanSink } from './spans.js';
import { TraceStore } from './trace-store.js';

export { otlpTracesUrl } from './otlp-export.js';

/**
 * The gateway's tracing: its tracer, and where finished spans go: the OTLP exporter when an
 * endpoint is configured, the in-process store when that is on (by default: when there is no
 * endpoint). Nothing is registered globally, so an embedding application's OpenTelemetry setup is
 * left alone.
 */
export class Tracing {
  readonly tracer: Tracer;
  readonly store?: TraceStore;
  private readonly otlp?: OtlpBatcher;

  constructor(config: ObservabilityConfig, logger: Logger) {
    const sinks: SpanSink[] = [];
    const endpoint = config.otlp.endpoint;
    if (config.tracing.inProcess ?? !endpoint) {
      this.store = new TraceStore(config.tracing.maxTraces, config.tracing.maxSpansPerTrace);
      sinks.push(this.store);
    }
    if (endpoint) {
      this.otlp = new OtlpBatcher({ endpoint, headers: config.otlp.headers, timeoutMs: config.otlp.timeoutMs, batchDelayMs: config.otlp.batchDelayMs, serviceName: config.serviceName }, logger);
      sinks.push(this.otlp);
    }
    this.tracer = new Tracer(sinks, config.tracing.sampleRatio);
  }

  flush(): Promise<void> {
    return this.otlp?.flush() ?? Promise.resolve();
  }

  shutdown(): Promise<void> {
    return this.otlp?.shutdown() ?? Promise.resolve();
  }
}
