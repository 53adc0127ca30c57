import { randomFillSync } from 'node:crypto';
import { performance } from 'node:perf_hooks';

/**
 * The outlet's spans: the OpenTelemetry data model (ids, parent links, kind, attributes with the
 * MCP semantic conventions, events, status) recorded into plain objects, W3C Trace Context and
 * Baggage read and written as the specifications say, and exported through OpenTelemetry's own
 * OTLP exporter (`otlp-export.ts`). The SDK's Tracer is not on this path: it costs several times
 * more per span (context objects, attribute sanitizing twice, processor fan-out, self-metrics),
 * and two spans per call are on the gateway's hot path (docs/performance.md, "Observability").
 */

/** OpenTelemetry's SpanKind values. */
export const SpanKind = { INTERNAL: 0, SERVER: 1, CLIENT: 2 } as const;
/** OpenTelemetry's SpanStatusCode values. */
export const StatusCode = { UNSET: 0, OK: 1, ERROR: 2 } as const;

/** Attribute values; `undefined` marks an attribute a span's fixed-shape record leaves out (dropped when read). */
export type AttributeValue = string | number | boolean;
export type Attributes = Record<string, AttributeValue | undefined>;

/** Where a span sits in its trace, and what travels with it (W3C Trace Context and Baggage, as received). */
export interface TraceContext {
  traceId: string;
  spanId: string;
  /** W3C trace flags; bit 0 is "sampled". */
  traceFlags: number;
  /** The `tracestate` header as received, passed on unchanged. */
  traceState?: string | undefined;
  /** The `baggage` header as received, passed on unchanged. */
  baggage?: string | undefined;
  /** True when the span is the caller's (extracted), not one of ours. */
  isRemote?: boolean;
}

/** One finished span, as the store keeps it and the exporter converts it. */
export interface SpanData {
  traceId: string;
  spanId: string;
  parentSpanId: string | undefined;
  parentIsRemote: boolean;
  traceFlags: number;
  traceState: string | undefined;
  name: string;
  kind: number;
  /** Epoch milliseconds, fractional (microsecond resolution). */
  startTime: number;
  endTime: number;
  attributes: Attributes;
  /** Undefined until the first event. */
  events: SpanEvent[] | undefined;
  status: { code: number; message?: string };
  /**
   * Attributes computed only when the span is read (the store's API, the exporter): payloads are
   * serialized for the traces someone looks at or exports, not for every call.
   */
  deferred: DeferredAttributes | undefined;
  /**
   * The spans of this trace that this process started from one root of its own, shared by them
   * all (the in-process store keeps it as the trace's entry, so it finds the trace without a
   * lookup by id). Undefined under a caller's span, whose trace id may come back in other requests.
   */
  local: LocalTrace | undefined;
}

/** One locally rooted trace's spans as a sink collects them (see SpanData.local). */
export class LocalTrace {
  /** Finished spans, filled by the store; empty until the first ends. */
  spans: SpanData[] = NO_SPANS;
  /** Spans past the store's cap per trace. */
  dropped = 0;
  /** The store's slot for this trace, -1 while it holds none. */
  slot = -1;
  constructor(
    readonly traceId: string,
    /** Made by the store for a trace without a local root, and found by id. */
    readonly keyed = false,
  ) {}
}

/** The spans of an entry that holds none: shared, never pushed onto (a first span replaces it with a literal). */
export const NO_SPANS: SpanData[] = [];

/** Attributes whose computation waits until the span is read. */
export interface DeferredAttributes {
  resolve(): Attributes;
}

/** The span's attributes, its deferred ones computed (once) and absent ones (undefined) left out. */
export function attributesOf(span: SpanData): Record<string, AttributeValue> {
  const deferred = span.deferred;
  if (deferred) {
    span.deferred = undefined;
    span.attributes = { ...span.attributes, ...deferred.resolve() };
  }
  const out: Record<string, AttributeValue> = {};
  for (const key in span.attributes) {
    const value = span.attributes[key];
    if (value !== undefined) out[key] = value;
  }
  return out;
}

export interface SpanEvent {
  name: string;
  /** Epoch milliseconds. */
  time: number;
  attributes: Attributes;
}

/** Receives finished spans (the in-process store, the OTLP batcher). */
export interface SpanSink {
  onEnd(span: SpanData): void;
}

/** The process's time origin, read once: `performance.timeOrigin` is a getter that costs as much as `now()` itself. */
const TIME_ORIGIN = performance.timeOrigin;

/** Epoch milliseconds from the monotonic clock, with sub-millisecond resolution. */
export const now = (): number => TIME_ORIGIN + performance.now();

/** Bytes of randomness per refill: 256 span ids. */
const ID_POOL_BYTES = 4096;
/** The pool as hex text, converted in one call; ids are slices of it (one native call per span id cost more than the slice). */
let pool = '';
let poolOffset = 0;

const ZERO_IDS: Record<number, string> = { 8: '0'.repeat(16), 16: '0'.repeat(32) };

/** Random hex ids from a pooled buffer of cryptographic randomness (one fill per 256 span ids). */
function randomId(bytes: 8 | 16): string {
  const chars = bytes * 2;
  if (poolOffset + chars > pool.length) {
    pool = randomFillSync(Buffer.allocUnsafe(ID_POOL_BYTES)).toString('hex');
    poolOffset = 0;
  }
  const id = pool.slice(poolOffset, poolOffset + chars);
  poolOffset += chars;
  // All-zero ids are invalid (W3C); at 2^-64 this is for correctness, not likelihood.
  return id === ZERO_IDS[bytes] ? randomId(bytes) : id;
}

const UNSET = Object.freeze({ code: StatusCode.UNSET });

/**
 * A span being recorded, and its record: the object the sinks receive at `end()` and the store
 * keeps is the span itself (one object per span, not a span around a record). Later calls to
 * `end()` do nothing.
 */
export class Span implements SpanData {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string | undefined;
  readonly parentIsRemote: boolean;
  readonly traceFlags: number;
  readonly traceState: string | undefined;
  readonly name: string;
  readonly kind: number;
  readonly startTime: number;
  endTime = 0;
  attributes: Attributes;
  events: SpanEvent[] | undefined = undefined;
  status: { code: number; message?: string } = UNSET;
  deferred: DeferredAttributes | undefined = undefined;
  readonly local: LocalTrace | undefined;
  private ended = false;

  constructor(
    traceId: string,
    spanId: string,
    parentSpanId: string | undefined,
    parentIsRemote: boolean,
    traceFlags: number,
    traceState: string | undefined,
    local: LocalTrace | undefined,
    name: string,
    kind: number,
    attributes: Attributes,
    private readonly sinks: readonly SpanSink[],
    readonly baggage: string | undefined,
    startTime: number,
  ) {
    // Fields one by one, not from a context object: no object made and dropped per span.
    this.traceId = traceId;
    this.spanId = spanId;
    this.parentSpanId = parentSpanId;
    this.parentIsRemote = parentIsRemote;
    this.traceFlags = traceFlags;
    this.traceState = traceState;
    this.name = name;
    this.kind = kind;
    this.startTime = startTime;
    this.attributes = attributes;
    this.local = local;
  }

  /** The context children and the upstream see: this span as the parent. */
  context(): TraceContext {
    return { traceId: this.traceId, spanId: this.spanId, traceFlags: this.traceFlags, traceState: this.traceState, baggage: this.baggage };
  }

  isRecording(): boolean {
    return !this.ended;
  }

  setAttribute(key: string, value: AttributeValue): void {
    if (!this.ended) this.ownAttributes()[key] = value;
  }

  setAttributes(attributes: Attributes): void {
    if (!this.ended) Object.assign(this.ownAttributes(), attributes);
  }

  /** The span's attribute record, copied first when it is a frozen one shared with other spans (UpstreamAttributes). */
  private ownAttributes(): Attributes {
    if (Object.isFrozen(this.attributes)) this.attributes = { ...this.attributes };
    return this.attributes;
  }

  addEvent(name: string, attributes: Attributes = {}, time: number = now()): void {
    if (this.ended) return;
    const event: SpanEvent = { name, time, attributes };
    // A literal for the first: a push onto [] reserves 17 slots, kept as long as the trace is.
    if (this.events) this.events.push(event);
    else this.events = [event];
  }

  setStatus(status: { code: number; message?: string }): void {
    if (!this.ended) this.status = status;
  }

  /** Attributes to compute when the span is read rather than now (see SpanData.deferred). */
  defer(attributes: DeferredAttributes): void {
    if (!this.ended) this.deferred = attributes;
  }

  end(endTime: number = now()): void {
    if (this.ended) return;
    this.ended = true;
    this.endTime = endTime;
    for (const sink of this.sinks) sink.onEnd(this);
  }
}

/** A span that is not sampled: it carries ids for propagation and records nothing. */
class UnsampledSpan extends Span {
  override isRecording(): boolean {
    return false;
  }
  override setAttribute(): void {}
  override setAttributes(): void {}
  override addEvent(): void {}
  override setStatus(): void {}
  override defer(): void {}
  override end(): void {}
}

/**
 * Starts spans. Sampling is parent-based: a caller's sampled flag decides; a new trace is sampled
 * with probability `sampleRatio`. An unsampled span still gets ids (the upstream sees the trace,
 * flagged unsampled) and records nothing.
 */
export class Tracer {
  constructor(
    private readonly sinks: readonly SpanSink[],
    private readonly sampleRatio: number,
  ) {}

  /** `startTime`: epoch milliseconds, for a caller that has just read the clock (see `now`). */
  startSpan(name: string, kind: number, parent: TraceContext | Span | undefined, attributes: Attributes = {}, startTime: number = now()): Span {
    if (parent instanceof Span) return this.startChild(name, kind, parent, attributes, startTime);
    const sampled = parent ? (parent.traceFlags & 1) === 1 : this.sampleRatio >= 1 || Math.random() < this.sampleRatio;
    const traceId = parent ? parent.traceId : randomId(16);
    const local = sampled && !parent ? new LocalTrace(traceId) : undefined;
    const SpanClass = sampled ? Span : UnsampledSpan;
    return new SpanClass(traceId, randomId(8), parent?.spanId, parent?.isRemote === true, sampled ? 1 : 0, parent?.traceState, local, name, kind, attributes, this.sinks, parent?.baggage, startTime);
  }

  /** A child of one of our own spans: its trace, its flags, its group. */
  private startChild(name: string, kind: number, parent: Span, attributes: Attributes, startTime: number): Span {
    const SpanClass = parent.traceFlags & 1 ? Span : UnsampledSpan;
    return new SpanClass(parent.traceId, randomId(8), parent.spanId, false, parent.traceFlags, parent.traceState, parent.local, name, kind, attributes, this.sinks, parent.baggage, startTime);
  }
}

/** Where trace context can come from: a Web `Headers`, or a plain record (Node headers, `_meta`). */
export type Carrier = Headers | Record<string, unknown>;

function read(carrier: Carrier, key: string): string | undefined {
  if (carrier instanceof Headers) return carrier.get(key) ?? undefined;
  const value = carrier[key];
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value.join(',');
  return undefined;
}

/** Longest `tracestate` and `baggage` passed on (W3C: 512 list members; baggage: 8192 bytes). */
const MAX_HEADER = 8192;

/**
 * The caller's trace context from a carrier (W3C Trace Context: `traceparent`, `tracestate`; W3C
 * Baggage: `baggage`), or undefined when it has no valid `traceparent`. A baggage without a
 * traceparent is kept only when `fallback` supplies the trace.
 */
export function extract(carrier: Carrier | undefined, fallback?: TraceContext): TraceContext | undefined {
  if (!carrier) return fallback;
  const header = read(carrier, 'traceparent');
  const parsed = header ? parseTraceParent(header) : undefined;
  // Without a trace to attach it to, a baggage header is not kept: not read either (a Headers lookup each).
  if (!parsed && !fallback) return undefined;
  const baggage = read(carrier, 'baggage');
  if (!parsed) {
    if (!fallback || baggage === undefined || baggage.length > MAX_HEADER) return fallback;
    return { ...fallback, baggage };
  }
  const traceState = read(carrier, 'tracestate');
  return {
    traceId: parsed.traceId,
    spanId: parsed.spanId,
    traceFlags: parsed.traceFlags,
    isRemote: true,
    ...(traceState && traceState.length <= MAX_HEADER ? { traceState } : {}),
    ...(baggage !== undefined && baggage.length <= MAX_HEADER ? { baggage } : baggage === undefined && fallback?.baggage !== undefined ? { baggage: fallback.baggage } : {}),
  };
}

/** Writes `traceparent` (and `tracestate`, `baggage` when there are any) for `span` as the parent into `carrier`. */
export function inject(span: Span, carrier: Record<string, unknown>): void {
  carrier.traceparent = `00-${span.traceId}-${span.spanId}-${span.traceFlags & 1 ? '01' : '00'}`;
  if (span.traceState) carrier.tracestate = span.traceState;
  if (span.baggage) carrier.baggage = span.baggage;
}

const TRACEPARENT = /^\s?([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?\s?$/;
const ZERO_TRACE = '0'.repeat(32);
const ZERO_SPAN = '0'.repeat(16);

/**
 * A W3C `traceparent` header (Trace Context, section 3.2): version, trace id, parent id, flags.
 * Version ff is invalid; version 00 has exactly four fields; later versions may add fields after
 * the fourth (read the first four, as the specification asks); all-zero ids are invalid. Written
 * here rather than loaded from @opentelemetry/core, whose module graph costs about 12 MB of memory
 * for this one function.
 */
export function parseTraceParent(header: string): { traceId: string; spanId: string; traceFlags: number } | undefined {
  const match = TRACEPARENT.exec(header);
  if (!match) return undefined;
  const [, version, traceId, spanId, flags, rest] = match as unknown as [string, string, string, string, string, string | undefined];
  if (version === 'ff' || (version === '00' && rest !== undefined)) return undefined;
  if (traceId === ZERO_TRACE || spanId === ZERO_SPAN) return undefined;
  return { traceId, spanId, traceFlags: parseInt(flags, 16) };
}
