import * as z from 'zod';
import { compileUserPattern } from '../shared/user-pattern.js';

/**
 * The `observability` section of the config file: tracing (OpenTelemetry, exported over OTLP/HTTP
 * or kept in process), Prometheus metrics, the per-call log line, the audit stream and what is
 * redacted from all of them. Every field has a default, so an absent section means: tracing on with
 * the in-process store, metrics on, tool-call log lines on, no audit stream.
 */

/** A regular expression written as `pattern` or `/pattern/flags`; checked at load so a typo is a config error, not a crash. */
const regexSource = z
  .string()
  .min(1)
  .refine((source) => compileUserPattern(source) !== undefined, { error: 'expected a valid regular expression ("pattern" or "/pattern/flags")' });

const millis = z.int().positive();

export const observabilitySchema = z
  .strictObject({
    serviceName: z.string().min(1).default('mcp-outlet').describe('`service.name` of the spans this gateway emits. Default: "mcp-outlet".'),
    tracing: z
      .strictObject({
        enabled: z.boolean().default(true).describe('Record a span per inbound request, per upstream call and per upstream connect. Default: true.'),
        sampleRatio: z
          .number()
          .min(0)
          .max(1)
          .default(1)
          .describe('Share of new traces recorded (0..1); a caller\'s sampled flag in traceparent wins. Default: 1.'),
        inProcess: z
          .boolean()
          .optional()
          .describe('Keep recent traces in memory for GET /api/traces and `outlet trace`. Default: true without an OTLP endpoint, false with one.'),
        maxTraces: z.int().positive().default(1000).describe('How many traces the in-process store keeps (the oldest go first). Default: 1000.'),
        maxSpansPerTrace: z.int().positive().default(256).describe('Spans kept per trace in the in-process store; later ones are counted, not kept. Default: 256.'),
        payloads: z
          .strictObject({
            capture: z.boolean().default(true).describe('Record request params and results on the inbound span, redacted. Default: true.'),
            maxBytes: z.int().min(0).default(4096).describe('Characters of JSON kept per payload; the rest is cut with a marker. Default: 4096.'),
          })
          .prefault({})
          .describe('Request and result payloads on spans.'),
        consoleLines: z
          .int()
          .min(0)
          .default(100)
          .describe('Most console lines (stderr, non-JSON stdout) an upstream span or connect span records as events. Default: 100.'),
      })
      .prefault({})
      .describe('OpenTelemetry tracing.'),
    otlp: z
      .strictObject({
        endpoint: z
          .url()
          .optional()
          .describe('OTLP/HTTP (JSON) collector. A URL without a path gets /v1/traces appended; with a path it is used as is. Default: none (traces stay in process).'),
        headers: z.record(z.string(), z.string()).default({}).describe('Headers sent with each export (e.g. an API key, via ${VAR}). Default: none.'),
        timeoutMs: millis.default(10_000).describe('Timeout of one export request, in milliseconds. Default: 10000.'),
        batchDelayMs: millis.default(2000).describe('How long spans are batched before an export, in milliseconds. Default: 2000.'),
      })
      .prefault({})
      .describe('Export of spans to an OpenTelemetry collector.'),
    metrics: z
      .strictObject({
        enabled: z.boolean().default(true).describe('Serve Prometheus metrics on GET /metrics. Default: true.'),
        process: z.boolean().default(true).describe('Include the Node process metrics (CPU, memory, heap, event loop utilization and lag), read at scrape time. Default: true.'),
      })
      .prefault({})
      .describe('Prometheus metrics.'),
    logs: z
      .strictObject({
        toolCalls: z
          .boolean()
          .default(true)
          .describe('One info line per tool call in the application log: server, tool, latency_ms, success, error, with request id, trace id, session and principal. Default: true.'),
      })
      .prefault({})
      .describe('Request lines in the application log.'),
    audit: z
      .strictObject({
        path: z
          .string()
          .min(1)
          .optional()
          .describe('JSON-lines file of who called what (relative paths are relative to the config file). Default: none (no audit stream).'),
        values: z
          .boolean()
          .default(false)
          .describe('Record argument values (redacted) besides their shape (keys and types). Default: false: shape only.'),
        lists: z.boolean().default(false).describe('Also record list requests (tools/list, ...). Default: false.'),
      })
      .prefault({})
      .describe('The audit stream, separate from the application log.'),
    redact: z
      .strictObject({
        keys: z
          .array(z.string().min(1))
          .default([])
          .describe('More key names whose values are replaced by [REDACTED] (matched case-insensitively, ignoring "-" and "_", as a substring), besides the built-in ones (authorization, token, password, secret, api_key, apikey, cookie, credential, private_key, ...).'),
        patterns: z
          .array(regexSource)
          .default([])
          .describe('Regular expressions whose matches are replaced by [REDACTED] in every recorded string, besides the built-in ones (bearer tokens, key=value secrets, common API key formats).'),
      })
      .prefault({})
      .describe('What never reaches traces, logs or the audit stream.'),
  })
  .prefault({})
  .describe('Tracing, metrics, request logs and audit.');

export type ObservabilityInput = z.input<typeof observabilitySchema>;
export type ObservabilityConfig = z.output<typeof observabilitySchema>;

/** Fills every default of a (possibly partial, possibly already parsed) observability section. */
export function parseObservabilityConfig(input: unknown): ObservabilityConfig {
  return observabilitySchema.parse(input ?? {});
}
