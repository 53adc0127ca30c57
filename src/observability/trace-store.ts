import { attributesOf, LocalTrace, NO_SPANS, type SpanData, type SpanSink } from './spans.js';

/** One span as the trace API serves it. */
export interface StoredSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: 'internal' | 'server' | 'client' | 'producer' | 'consumer';
  /** Epoch milliseconds (fractional). */
  startTime: number;
  endTime: number;
  durationMs: number;
  status: 'unset' | 'ok' | 'error';
  statusMessage?: string;
  attributes: Record<string, unknown>;
  events: { name: string; time: number; attributes: Record<string, unknown> }[];
}

/** A span with its children, for `GET /api/traces/:id` and `outlet trace`. */
export interface SpanNode extends StoredSpan {
  children: SpanNode[];
}

export interface TraceTree {
  traceId: string;
  spanCount: number;
  /** Spans not kept because the trace had reached the per-trace cap. */
  droppedSpans: number;
  /** Spans whose parent is not in this trace (the inbound span under a caller's remote span, connect spans). */
  roots: SpanNode[];
}

/** One line of `GET /api/traces`, described by the trace's root span. */
export interface TraceSummary {
  traceId: string;
  name: string;
  method?: string;
  server?: string;
  tool?: string;
  status: 'ok' | 'error';
  outcome?: string;
  startTime: string;
  durationMs: number;
  spanCount: number;
}

export interface TraceFilter {
  server?: string;
  tool?: string;
  method?: string;
  status?: 'ok' | 'error';
  minDurationMs?: number;
  limit?: number;
}

const KINDS = ['internal', 'server', 'client', 'producer', 'consumer'] as const;
const STATUSES = ['unset', 'ok', 'error'] as const;

/**
 * The in-process trace store: keeps the spans of the last `maxTraces` traces (a new trace pushes
 * out the oldest), turned into the API's shape only when asked for.
 *
 * A trace rooted in this process brings its own entry (SpanData.local, shared by its spans), so
 * recording a span costs no lookup by trace id; the entries sit in a ring, the oldest next to go.
 * Spans under a caller's trace (whose id may arrive again with later requests) and hand-made spans
 * are grouped by id in a map instead. Reads (the API) scan the ring: at most `maxTraces` entries.
 */
export class TraceStore implements SpanSink {
  /** Entries in the order their first span ended, as a ring once full: `next` is the oldest slot. */
  private readonly ring: (LocalTrace | undefined)[] = [];
  private next = 0;
  /** Entries of traces without a local root, by trace id. */
  private readonly keyed = new Map<string, LocalTrace>();

  constructor(
    private readonly maxTraces = 1000,
    private readonly maxSpansPerTrace = 256,
  ) {}

  onEnd(span: SpanData): void {
    let entry = span.local;
    if (entry === undefined) {
      entry = this.keyed.get(span.traceId);
      if (!entry) this.keyed.set(span.traceId, (entry = new LocalTrace(span.traceId, true)));
    }
    // The first span always fits (maxSpansPerTrace is at least 1).
    if (entry.slot === -1) this.insert(entry);
    const spans = entry.spans;
    if (spans.length >= this.maxSpansPerTrace) entry.dropped++;
    // One or two spans (an upstream call under its request) is the usual trace: exact arrays,
    // where a push would reserve 17 slots for as long as the trace is kept.
    else if (spans.length === 0) entry.spans = [span];
    else if (spans.length === 1) entry.spans = [spans[0]!, span];
    else spans.push(span);
  }

  /** Makes `entry` the newest, pushing out the oldest when the store is full. */
  private insert(entry: LocalTrace): void {
    const i = this.next;
    const old = this.ring[i];
    if (old) this.forget(old);
    this.ring[i] = entry;
    entry.slot = i;
    this.next = i + 1 === this.maxTraces ? 0 : i + 1;
  }

  /** A pushed-out entry holds nothing; a later span of its trace starts it again as the newest. */
  private forget(entry: LocalTrace): void {
    entry.slot = -1;
    entry.spans = NO_SPANS;
    entry.dropped = 0;
    if (entry.keyed) this.keyed.delete(entry.traceId);
  }

  get size(): number {
    let n = 0;
    for (const entry of this.ring) if (entry) n++;
    return n;
  }

  clear(): void {
    for (const entry of this.ring) if (entry) this.forget(entry);
    this.ring.length = 0;
    this.next = 0;
    this.keyed.clear();
  }

  /**
   * The kept traces by id, newest first (where a trace's newest entry stands), each with all its
   * spans: a trace id can have two entries, one rooted here and one under a caller's span.
   */
  private traces(): Map<string, { spans: SpanData[]; dropped: number }> {
    const out = new Map<string, { spans: SpanData[]; dropped: number }>();
    const n = this.ring.length;
    for (let k = 1; k <= n; k++) {
      const entry = this.ring[(this.next - k + n) % n];
      if (!entry) continue;
      const trace = out.get(entry.traceId);
      if (trace) {
        trace.spans = [...trace.spans, ...entry.spans];
        trace.dropped += entry.dropped;
      } else out.set(entry.traceId, { spans: entry.spans, dropped: entry.dropped });
    }
    return out;
  }

  /** The trace's spans as a tree (children in start order), or undefined when it is not (or no longer) kept. */
  get(traceId: string): TraceTree | undefined {
    const entry = this.traces().get(traceId.toLowerCase());
    if (!entry) return undefined;
    const nodes = new Map<string, SpanNode>();
    for (const span of entry.spans) nodes.set(span.spanId, { ...toStored(span), children: [] });
    const roots: SpanNode[] = [];
    for (const node of nodes.values()) {
      const parent = node.parentSpanId ? nodes.get(node.parentSpanId) : undefined;
      if (parent) parent.children.push(node);
      else roots.push(node);
    }
    const byStart = (a: SpanNode, b: SpanNode) => a.startTime - b.startTime;
    for (const node of nodes.values()) node.children.sort(byStart);
    roots.sort(byStart);
    return { traceId: traceId.toLowerCase(), spanCount: entry.spans.length, droppedSpans: entry.dropped, roots };
  }

  /** Recent traces, newest first, filtered. */
  list(filter: TraceFilter = {}): TraceSummary[] {
    const limit = Math.min(Math.max(1, filter.limit ?? 100), this.maxTraces);
    const out: TraceSummary[] = [];
    for (const [traceId, { spans }] of this.traces()) {
      if (out.length >= limit) break;
      const summary = summarize(traceId, spans);
      if (!summary || !matches(summary, spans, filter)) continue;
      out.push(summary);
    }
    return out;
  }
}

function toStored(span: SpanData): StoredSpan {
  return {
    traceId: span.traceId,
    spanId: span.spanId,
    ...(span.parentSpanId ? { parentSpanId: span.parentSpanId } : {}),
    name: span.name,
    kind: KINDS[span.kind] ?? 'internal',
    startTime: span.startTime,
    endTime: span.endTime,
    durationMs: span.endTime - span.startTime,
    status: STATUSES[span.status.code] ?? 'unset',
    ...(span.status.message ? { statusMessage: span.status.message } : {}),
    attributes: { ...attributesOf(span) },
    events: (span.events ?? []).map((e) => ({ name: e.name, time: e.time, attributes: { ...e.attributes } })),
  };
}

/** The root of a trace: the span whose parent is not among its spans (the earliest such). */
function rootOf(spans: readonly SpanData[]): SpanData | undefined {
  const ids = new Set(spans.map((s) => s.spanId));
  let root: SpanData | undefined;
  for (const span of spans) {
    if (span.parentSpanId && ids.has(span.parentSpanId)) continue;
    if (!root || span.startTime < root.startTime) root = span;
  }
  return root;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

function summarize(traceId: string, spans: readonly SpanData[]): TraceSummary | undefined {
  const root = rootOf(spans);
  if (!root) return undefined;
  const a = root.attributes;
  const method = str(a['mcp.method.name']);
  const server = str(a['outlet.server']);
  const tool = str(a['gen_ai.tool.name']);
  const outcome = str(a['outlet.outcome']);
  return {
    traceId,
    name: root.name,
    ...(method ? { method } : {}),
    ...(server ? { server } : {}),
    ...(tool ? { tool } : {}),
    status: spans.some((s) => s.status.code === 2) ? 'error' : 'ok',
    ...(outcome ? { outcome } : {}),
    startTime: new Date(root.startTime).toISOString(),
    durationMs: root.endTime - root.startTime,
    spanCount: spans.length,
  };
}

function matches(summary: TraceSummary, spans: readonly SpanData[], filter: TraceFilter): boolean {
  if (filter.status && summary.status !== filter.status) return false;
  if (filter.minDurationMs !== undefined && summary.durationMs < filter.minDurationMs) return false;
  if (filter.method && summary.method !== filter.method) return false;
  if (filter.server && !spans.some((s) => s.attributes['outlet.server'] === filter.server)) return false;
  if (filter.tool && !spans.some((s) => s.attributes['gen_ai.tool.name'] === filter.tool || s.attributes['outlet.tool'] === filter.tool)) return false;
  return true;
}
