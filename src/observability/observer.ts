import { dirname, resolve } from 'node:path';
import { isOutletError } from '../errors/index.js';
import { AuditLog, type AuditRecord } from './audit.js';
import {
  inboundRequestChannel,
  tokensChannel,
  type TokensMessage,
  upstreamConnectChannel,
  upstreamRequestChannel,
  type InboundRequestContext,
  type UpstreamConnectContext,
  type UpstreamRequestContext,
} from './channels.js';
import { infoLineWriter, type InfoLineWriter, type Logger } from './logger.js';
import { OutletMetrics } from './metrics.js';
import type { ObservabilityConfig } from '../config/observability-schema.js';
import { Redactor, redactServerConfig, shapeOf } from '../shared/redact.js';
import { extract, inject, now, SpanKind, StatusCode, type Attributes, type Span } from './spans.js';
import { Tracing } from './tracing.js';
import type { GatewayLike, InstallObservabilityOptions, ObservabilityHandle, PolicyDecision } from './observability-types.js';
import type { ObservationSlot, ObservedRequest } from './observed-request.js';
import type { ConsoleSource } from './observed-upstream.js';
import { addPrimitives, DeferredPayloads, messageOf, outcomeOf, recordOf, RequestRecord, rpcIdOf, secretsOf, SpanRecord } from './request-record.js';
import { LIST_METHODS } from './list-methods.js';
import { SpanNames } from './span-names.js';
import { UpstreamAttributes } from './upstream-attributes.js';
import { withMeta } from '../shared/with-meta.js';

const TRACE_KEYS = new Set(['traceparent', 'tracestate', 'baggage']);
/** `<8 hex digits of this process>-`, the request ids' common head (one string, not two joined per request). */
const ID_PREFIX = `${Math.floor(Math.random() * 0x100000000)
  .toString(16)
  .padStart(8, '0')}-`;
let requestSeq = 0;

/** Subscribes tracing, metrics, request logs and audit to the lifecycle channels, for one gateway. */
export class Observer {
  private readonly redactor: Redactor;
  private readonly tracing?: Tracing;
  private readonly metrics?: OutletMetrics;
  private readonly audit?: AuditLog;
  private readonly logger: Logger;
  /** The tool-call line's writer (infoLineWriter: straight to the destination for the outlet's own logger). */
  private readonly writeInfoLine: InfoLineWriter;
  private readonly gateway: GatewayLike;
  private readonly capturePayloads: boolean;
  private readonly payloadMax: number;
  private readonly consoleMax: number;
  private readonly logToolCalls: boolean;
  private readonly configText = new WeakMap<object, string>();
  private readonly names = new SpanNames();
  private readonly upstreamAttributes = new UpstreamAttributes((config) => this.serverConfigText(config));
  private readonly unsubscribers: (() => void)[] = [];
  /** Spans of connect attempts, and of a request's second concurrent upstream call, by channel context. */
  private readonly otherSpans = new Map<object, SpanRecord>();
  private closed = false;

  constructor(
    private readonly config: ObservabilityConfig,
    options: InstallObservabilityOptions,
  ) {
    this.logger = options.logger;
    this.writeInfoLine = infoLineWriter(options.logger);
    this.gateway = options.gatewayLike;
    this.redactor = new Redactor(config.redact);
    this.capturePayloads = config.tracing.payloads.capture;
    this.payloadMax = config.tracing.payloads.maxBytes;
    this.consoleMax = config.tracing.consoleLines;
    this.logToolCalls = config.logs.toolCalls;
    if (config.tracing.enabled) this.tracing = new Tracing(config, options.logger);
    if (config.metrics.enabled) {
      const status = () => options.gatewayLike.supervisor.status();
      this.metrics = new OutletMetrics({ status, ...(options.breakerState ? { breakerState: options.breakerState } : {}) }, { processMetrics: config.metrics.process });
    }
    if (options.auditSink) this.audit = AuditLog.toSink(options.auditSink);
    else if (config.audit.path) {
      const source = options.gatewayLike.config?.source;
      this.audit = AuditLog.toFile(resolve(source ? dirname(source) : process.cwd(), config.audit.path));
    }
    this.subscribe();
  }

  handle(): ObservabilityHandle {
    const store = this.tracing?.store;
    const metrics = this.metrics;
    return {
      config: this.config,
      keepsTraces: store !== undefined,
      metricsEnabled: metrics !== undefined,
      listTraces: (filter) => store?.list(filter) ?? [],
      getTrace: (id) => store?.get(id),
      metricsText: () => metrics?.text() ?? Promise.resolve(''),
      metricsContentType: metrics?.contentType ?? 'text/plain; version=0.0.4; charset=utf-8',
      flush: () => this.tracing?.flush() ?? Promise.resolve(),
      close: () => this.close(),
    };
  }

  private subscribe(): void {
    const inbound = {
      start: this.guarded((d: InboundRequestContext) => this.inboundStart(d)),
      asyncEnd: this.guarded((d: InboundRequestContext) => this.inboundEnd(d)),
    };
    inboundRequestChannel.subscribe(inbound);
    this.unsubscribers.push(() => inboundRequestChannel.unsubscribe(inbound));
    const upstream = {
      start: this.guarded((d: UpstreamRequestContext) => this.upstreamStart(d)),
      asyncEnd: this.guarded((d: UpstreamRequestContext) => this.upstreamEnd(d)),
    };
    upstreamRequestChannel.subscribe(upstream);
    this.unsubscribers.push(() => upstreamRequestChannel.unsubscribe(upstream));
    const connect = {
      start: this.guarded((d: UpstreamConnectContext) => this.connectStart(d)),
      asyncEnd: this.guarded((d: UpstreamConnectContext) => this.connectEnd(d)),
    };
    upstreamConnectChannel.subscribe(connect);
    this.unsubscribers.push(() => upstreamConnectChannel.unsubscribe(connect));
    if (this.metrics) {
      const tokens = this.guarded((m: TokensMessage) => this.metrics?.tokensReturned(m.mode, m.kind, m.tokens, m.budget));
      const listener = (message: unknown) => tokens(message as TokensMessage);
      tokensChannel.subscribe(listener);
      this.unsubscribers.push(() => tokensChannel.unsubscribe(listener));
    }
  }

  /**
   * A subscriber that throws would surface as an uncaught exception in the publisher: never let one.
   * Events another gateway in this process published (its `owner`) are not ours to record.
   */
  private guarded<T extends { owner?: object }>(fn: (data: T) => void): (data: T) => void {
    let reported = false;
    return (data) => {
      if (data.owner !== undefined && data.owner !== this.gateway) return;
      try {
        fn(data);
      } catch (err) {
        if (!reported) {
          reported = true;
          this.logger.error({ err }, 'observability handler failed; this request is not fully recorded');
        }
      }
    };
  }

  // --- inbound requests -------------------------------------------------------------------------

  private inboundStart({ ctx }: InboundRequestContext): void {
    // A process-unique id (the JSON-RPC id, when the context carries one as `rpcId`, only counts within its session).
    // One clock read for the request's start and its span's (epoch milliseconds, see spans.ts `now`).
    const start = now();
    const rec = new RequestRecord(start, ID_PREFIX + (++requestSeq).toString(36), ctx.params);
    ctx.observation = rec;
    this.metrics?.requestStarted();
    const tracing = this.tracing;
    if (!tracing) return;
    // Trace context: the request's own `_meta` (SEP-414), then the HTTP headers of the request it came in, which win.
    const meta = ctx.params._meta as Record<string, unknown> | undefined;
    const headers = ctx.headers;
    let remote = meta ? extract(meta) : undefined;
    if (headers) remote = extract(headers, remote);
    // A code-mode program's tool call: a child of the execute_code span, whatever its params say.
    const parent = (ctx.parent ? recordOf(ctx.parent)?.span : undefined) ?? remote;
    const target = ctx.toolName ?? ctx.promptName;
    const isTool = ctx.toolName !== undefined;
    const attributes: Attributes = {
      'mcp.method.name': ctx.method,
      'gen_ai.tool.name': ctx.toolName,
      'gen_ai.operation.name': isTool ? 'execute_tool' : undefined,
      'gen_ai.prompt.name': ctx.promptName,
      'mcp.resource.uri': ctx.resourceUri !== undefined ? this.redactor.redactString(ctx.resourceUri, secretsOf(rec, this.redactor)) : undefined,
      'mcp.session.id': ctx.session.id,
      'enduser.id': ctx.principal?.id,
      'outlet.endpoint': ctx.scope.kind === 'server' ? ctx.scope.server : 'aggregate',
      'outlet.request.id': rec.requestId,
      'jsonrpc.request.id': rpcIdOf(ctx),
      'outlet.session.transport': ctx.session.transport,
      'outlet.session.era': ctx.session.era,
      'network.transport': ctx.session.transport === 'stdio' ? 'pipe' : 'tcp',
      'outlet.server': undefined,
      'outlet.outcome': undefined,
    };
    const span = tracing.tracer.startSpan(this.names.inboundName(ctx.method, target), SpanKind.SERVER, parent, attributes, start);
    rec.span = span;
    rec.traceId = span.traceId;
  }

  private inboundEnd(data: InboundRequestContext): void {
    const { ctx } = data;
    const rec = recordOf(ctx);
    if (!rec) return;
    const end = now();
    const ms = end - rec.start;
    const error = data.error;
    const result = data.result as Record<string, unknown> | undefined;
    const outcome = error !== undefined ? outcomeOf(error) : result?.isError === true ? 'tool_error' : 'ok';
    const tool = this.toolLabel(ctx, rec);
    const server = rec.server ?? (ctx.scope.kind === 'server' ? ctx.scope.server : '');
    this.metrics?.requestFinished(ctx.method, server, tool, outcome, ms / 1000);
    const span = rec.span;
    if (span?.isRecording()) {
      const attributes = span.attributes;
      attributes['outlet.outcome'] = outcome;
      if (server) attributes['outlet.server'] = server;
      if (this.capturePayloads) {
        // Small payloads (most) wait until the span is read; large ones are cut to size now, so a big result is not kept whole.
        const payloads = new DeferredPayloads(this.redactor, rec, result, this.payloadMax);
        if (this.redactor.fitsIn(rec.params, this.payloadMax) && (result === undefined || this.redactor.fitsIn(result, this.payloadMax))) span.defer(payloads);
        else span.setAttributes(payloads.resolve());
      }
      this.endSpan(span, error, result, rec, end);
    }
    if (this.logToolCalls && ctx.method === 'tools/call') this.logToolCall(ctx, rec, server, ms, outcome, error);
    if (this.audit && (this.config.audit.lists || !LIST_METHODS.has(ctx.method))) this.writeAudit(ctx, rec, server, ms, outcome, error);
  }

  /** The tool label: the upstream's own name for a tool the catalog knows, "other" for any other name, "" off tools/call. */
  private toolLabel(ctx: ObservedRequest, rec: RequestRecord): string {
    if (ctx.method !== 'tools/call' || ctx.toolName === undefined) return '';
    const catalog = this.gateway.currentCatalog?.();
    if (ctx.scope.kind === 'server') return catalog?.serverTool(ctx.scope.server, ctx.toolName) ? ctx.toolName : 'other';
    // Routed through the aggregate: the router found it in the catalog.
    if (rec.upstreamTool !== undefined) return rec.upstreamTool;
    if (!catalog) return 'other';
    try {
      const route = catalog.resolveTool(ctx.toolName);
      rec.server ??= route.server;
      return route.name;
    } catch {
      return 'other';
    }
  }

  private logToolCall(ctx: ObservedRequest, rec: RequestRecord, server: string, ms: number, outcome: string, error: unknown): void {
    if (!this.logger.isLevelEnabled('info')) return;
    // One shape for every line; undefined fields are left out.
    const failed = error !== undefined;
    this.writeInfoLine(
      {
        reqId: rec.requestId,
        rpcId: rpcIdOf(ctx),
        traceId: rec.traceId,
        session: ctx.session.id,
        principal: ctx.principal?.id,
        server: server || undefined,
        tool: ctx.toolName,
        latency_ms: Math.round(ms * 1000) / 1000,
        success: outcome === 'ok',
        error: failed ? this.redactor.redactString(messageOf(error), secretsOf(rec, this.redactor)) : outcome === 'tool_error' ? 'the tool reported an error (isError)' : undefined,
        code: failed && isOutletError(error) ? error.code : undefined,
      },
      'tool call',
    );
  }

  private writeAudit(ctx: ObservedRequest, rec: RequestRecord, server: string, ms: number, outcome: string, error: unknown): void {
    const args = ctx.method === 'completion/complete' ? ctx.params.argument : ctx.params.arguments;
    const record: AuditRecord = {
      time: new Date().toISOString(),
      event: 'mcp.request',
      requestId: rec.requestId,
      ...(ctx.parent ? { parentRequestId: recordOf(ctx.parent)?.requestId } : {}),
      ...(rec.traceId ? { traceId: rec.traceId } : {}),
      principal: ctx.principal ? { id: ctx.principal.id, roles: ctx.principal.roles } : null,
      session: { ...(ctx.session.id ? { id: ctx.session.id } : {}), transport: ctx.session.transport, era: ctx.session.era },
      method: ctx.method,
      endpoint: ctx.scope.kind === 'server' ? ctx.scope.server : 'aggregate',
      ...(server ? { server } : {}),
      ...(ctx.toolName !== undefined ? { tool: ctx.toolName } : {}),
      ...(ctx.promptName !== undefined ? { prompt: ctx.promptName } : {}),
      ...(ctx.resourceUri !== undefined ? { resource: this.redactor.redactString(ctx.resourceUri, secretsOf(rec, this.redactor)) } : {}),
      ...(args !== undefined ? { argumentShape: shapeOf(args) } : {}),
      ...(args !== undefined && this.config.audit.values ? { arguments: this.redactor.redactValue(args, secretsOf(rec, this.redactor)) } : {}),
      outcome,
      ...(error !== undefined && isOutletError(error) ? { errorCode: error.code } : {}),
      durationMs: Math.round(ms * 1000) / 1000,
    };
    if (rec.decisions) (record as AuditRecord & { decisions?: PolicyDecision[] }).decisions = rec.decisions;
    this.audit!.write(record);
  }

  // --- upstream requests ------------------------------------------------------------------------

  private upstreamStart(data: UpstreamRequestContext): void {
    const { ctx, call } = data;
    const rec = recordOf(ctx);
    const upstreamName = typeof call.params.name === 'string' ? call.params.name : undefined;
    if (rec) {
      rec.server = call.server;
      if (call.method === 'tools/call' && upstreamName !== undefined) rec.upstreamTool = upstreamName;
    }
    const tracing = this.tracing;
    if (!tracing) return;
    const name = this.names.upstreamName(call.server, call.method, upstreamName);
    // An unsampled request's upstream span records nothing: no attributes looked up for it.
    const attributes = rec?.span === undefined || (rec.span.traceFlags & 1) === 1 ? this.upstreamAttributes.for(call, upstreamName) : undefined;
    const span = tracing.tracer.startSpan(name, SpanKind.CLIENT, rec?.span, attributes);
    // The upstream sees this span as its parent; the caller's `_meta` object is left as it was.
    const meta: Record<string, unknown> = {};
    const callerMeta = call.params._meta as Record<string, unknown> | undefined;
    if (callerMeta) for (const key in callerMeta) if (!TRACE_KEYS.has(key)) meta[key] = callerMeta[key];
    inject(span, meta);
    // The router's own copy takes `_meta` in place; anything else may be the caller's object.
    if (call.paramsOwned === true) call.params._meta = meta;
    else call.params = withMeta(call.params, meta);
    const record = this.spanRecord(span, call.server, rec);
    if (rec && rec.upstream === undefined) rec.upstream = record;
    else this.otherSpans.set(data, record);
  }

  private upstreamEnd(data: UpstreamRequestContext): void {
    const error = data.error;
    if (error !== undefined) this.metrics?.upstreamFailed(data.call.server, isOutletError(error) ? error.code : undefined);
    if (!this.tracing) return;
    const rec = recordOf(data.ctx);
    // Most calls are their request's only upstream call: no lookup (hashing `data`) while no other is open.
    let record = this.otherSpans.size > 0 ? this.otherSpans.get(data) : undefined;
    if (record) this.otherSpans.delete(data);
    else if (rec?.upstream) {
      record = rec.upstream;
      rec.upstream = undefined;
    }
    if (record) this.finishSpanRecord(record, error, data.result as Record<string, unknown> | undefined);
  }

  // --- upstream connects ------------------------------------------------------------------------

  private connectStart(data: UpstreamConnectContext): void {
    const tracing = this.tracing;
    if (!tracing) return;
    const attributes: Attributes = { 'outlet.server': data.server, 'outlet.upstream.transport': data.transport, 'outlet.connect.attempt': data.attempt, 'outlet.connect.restart': data.attempt > 0 };
    addPrimitives(attributes, data, 'outlet.connect.');
    const config = this.gateway.supervisor.get(data.server)?.config;
    if (config) attributes['outlet.server.config'] = this.serverConfigText(config as Record<string, unknown>);
    const parent = data.parent ? recordOf(data.parent as ObservationSlot) : undefined;
    const span = tracing.tracer.startSpan(`outlet connect ${data.server}`, SpanKind.INTERNAL, parent?.span, attributes);
    this.otherSpans.set(data, this.spanRecord(span, data.server, undefined));
  }

  private connectEnd(data: UpstreamConnectContext): void {
    this.metrics?.connectFinished(data.server, data.error === undefined);
    const up = this.otherSpans.get(data);
    if (!up) return;
    this.otherSpans.delete(data);
    // What the publisher learned along the way (pid, protocol version, ...).
    const extra: Attributes = {};
    addPrimitives(extra, data, 'outlet.connect.');
    up.span.setAttributes(extra);
    this.finishSpanRecord(up, data.error, undefined);
  }

  // --- shared -----------------------------------------------------------------------------------

  /** A span that gets the lines its server's console takes while it runs (see SpanRecord). */
  private spanRecord(span: Span, server: string, request: RequestRecord | undefined): SpanRecord {
    const record = new SpanRecord(span, request);
    if (this.consoleMax > 0 && span.isRecording()) {
      const source = this.gateway.supervisor.get(server)?.console;
      if (source) {
        record.source = source;
        record.mark = source.mark;
      }
    }
    return record;
  }

  /** The console lines printed while `record`'s span ran, as its events: the first `consoleMax`; the rest, and any the console no longer holds, counted. */
  private addConsoleLines(record: SpanRecord, source: ConsoleSource): void {
    // Only the lines it keeps are copied out of the ring; every other line printed meanwhile is counted.
    const { lines } = source.since(record.mark, this.consoleMax);
    const dropped = source.mark - record.mark - lines.length;
    const secrets = lines.length > 0 ? secretsOf(record.request, this.redactor) : undefined;
    for (const line of lines) record.span.addEvent('console', { 'console.stream': line.stream, 'console.line': this.redactor.redactString(line.line, secrets) }, line.ts);
    // Through setAttribute: an upstream span's record may be shared until its first write (UpstreamAttributes).
    if (lines.length > 0) record.span.setAttribute('outlet.console.lines', lines.length);
    if (dropped > 0) record.span.setAttribute('outlet.console.dropped', dropped);
  }

  private finishSpanRecord(record: SpanRecord, error: unknown, result: Record<string, unknown> | undefined): void {
    const source = record.source;
    // A server that printed nothing while the span ran (most calls) costs one comparison here.
    if (source !== undefined && source.mark !== record.mark) this.addConsoleLines(record, source);
    this.endSpan(record.span, error, result, record.request);
  }

  /** Status, error (type, code, message and stack, redacted) and end. */
  private endSpan(span: Span, error: unknown, result: Record<string, unknown> | undefined, request: RequestRecord | undefined, endTime: number = now()): void {
    if (error !== undefined) {
      const secrets = secretsOf(request, this.redactor);
      const message = this.redactor.redactString(messageOf(error), secrets);
      const type = isOutletError(error) ? error.code : error instanceof Error ? error.name : 'Error';
      const event: Attributes = { 'exception.type': type, 'exception.message': message };
      if (error instanceof Error && error.stack) event['exception.stacktrace'] = this.redactor.redactString(error.stack, secrets);
      span.addEvent('exception', event);
      span.setAttribute('error.type', type);
      span.setStatus({ code: StatusCode.ERROR, message });
    } else if (result?.isError === true) {
      span.setAttribute('error.type', 'tool_error');
      span.setStatus({ code: StatusCode.ERROR, message: 'the tool reported an error (isError)' });
    }
    span.end(endTime);
  }

  /** A server entry as recorded on spans: redacted, serialized once per config object. */
  private serverConfigText(config: Record<string, unknown>): string {
    let text = this.configText.get(config);
    if (text === undefined) {
      text = this.redactor.json(redactServerConfig(config, this.redactor), 16_384);
      this.configText.set(config, text);
    }
    return text;
  }

  private async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const unsubscribe of this.unsubscribers) unsubscribe();
    await Promise.all([this.tracing?.shutdown(), this.audit?.close()]);
  }
}

