import { isOutletError } from '../errors/index.js';
import type { PolicyDecision } from './observability-types.js';
import type { ObservationSlot, ObservedRequest } from './observed-request.js';
import type { ConsoleSource } from './observed-upstream.js';
import type { Redactor } from '../shared/redact.js';
import type { Attributes, DeferredAttributes, Span } from './spans.js';

/**
 * What observability keeps of one request while it runs, found through `ctx.observation`. The
 * hooks the rest of the outlet calls on it are in policy-decisions.ts (policy decisions) and
 * request-annotations.ts (span attributes, log fields): modules that load no exporter.
 */

/** The request's record, when observability is recording it (`ctx.observation`). */
export function recordOf(ctx: ObservationSlot): RequestRecord | undefined {
  return ctx.observation as RequestRecord | undefined;
}

/** What observability keeps of one inbound request while it runs. One shape for all (fields filled as they become known). */
export class RequestRecord {
  span: Span | undefined = undefined;
  traceId: string | undefined = undefined;
  /** The upstream that served it, and the tool under the upstream's own name. */
  server: string | undefined = undefined;
  upstreamTool: string | undefined = undefined;
  /** Values seen under secret keys in the params (scrubbed from everything the request produces); null: none; undefined: not looked for yet. */
  secrets: readonly string[] | null | undefined = undefined;
  decisions: PolicyDecision[] | undefined = undefined;
  /** The span of its upstream call (a second concurrent one goes to Observer.otherSpans). */
  upstream: SpanRecord | undefined = undefined;

  constructor(
    /** Epoch milliseconds (spans.ts `now`), also the start of the request's span. */
    readonly start: number,
    readonly requestId: string,
    /** The request's params, read for secrets only when something is about to be recorded. */
    readonly params: Record<string, unknown>,
  ) {}
}

/**
 * A span that gets its server's console lines: an upstream call or a connect attempt. It notes the
 * console's mark when it starts and takes the lines pushed since when it ends (Observer.finishSpanRecord).
 */
export class SpanRecord {
  /** Its server's console, when lines are recorded, and the console's mark at the span's start. */
  source: ConsoleSource | undefined = undefined;
  mark = 0;

  constructor(
    readonly span: Span,
    /** The request the span belongs to, for its secrets. */
    readonly request: RequestRecord | undefined,
  ) {}
}

/**
 * Request and result payloads, serialized (redacted, capped) only if the span is ever read. It
 * holds the params and the result, not the request's record (nor, through it, the span object and
 * the policy decisions): the store keeps one per trace, and what it keeps is copied and marked by
 * the garbage collector until the trace is pushed out.
 */
export class DeferredPayloads implements DeferredAttributes {
  private readonly params: Record<string, unknown>;
  /** The request's learned secrets, when they were looked for while it ran; else looked for on resolve. */
  private secrets: readonly string[] | null | undefined;

  constructor(
    private readonly redactor: Redactor,
    request: RequestRecord,
    private readonly result: Record<string, unknown> | undefined,
    private readonly max: number,
  ) {
    this.params = request.params;
    this.secrets = request.secrets;
  }

  resolve(): Attributes {
    if (this.secrets === undefined) this.secrets = this.redactor.collectSecrets(this.params) ?? null;
    const secrets = this.secrets ?? undefined;
    return {
      'outlet.request.payload': this.redactor.json(this.params, this.max, secrets),
      'outlet.response.payload': this.result !== undefined ? this.redactor.json(this.result, this.max, secrets) : undefined,
    };
  }
}

/** The request's learned secrets, collected from its params the first time they are needed. */
export function secretsOf(rec: RequestRecord | undefined, redactor: Redactor): readonly string[] | undefined {
  if (!rec) return undefined;
  if (rec.secrets === undefined) rec.secrets = redactor.collectSecrets(rec.params) ?? null;
  return rec.secrets ?? undefined;
}

/** "ok" is for answers; an error is its gateway code in lower case, or "error" when it has none. */
export function outcomeOf(error: unknown): string {
  return isOutletError(error) ? error.code.toLowerCase() : 'error';
}

/** The request's JSON-RPC id, when the call context carries it (`rpcId`). */
export function rpcIdOf(ctx: ObservedRequest): string | number | undefined {
  const id = ctx.rpcId;
  return typeof id === 'string' || typeof id === 'number' ? id : undefined;
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function prefixed(prefix: string, values: Record<string, unknown>): Attributes {
  const out: Attributes = {};
  addPrimitives(out, values, prefix, NO_FIELDS);
  return out;
}

/** The connect channel's own fields, recorded under their own names. */
export const CONNECT_FIELDS: ReadonlySet<string> = new Set(['server', 'transport', 'attempt', 'error', 'result', 'owner', 'parent']);
const NO_FIELDS: ReadonlySet<string> = new Set();

/** Copies a context object's string, number and boolean fields as attributes (what publishers add beyond the channel's fields). */
export function addPrimitives(out: Attributes, values: Record<string, unknown>, prefix: string, skip: ReadonlySet<string> = CONNECT_FIELDS): void {
  // Own enumerable keys in order, as Object.entries gives them, without its array of pairs.
  for (const key in values) {
    if (!Object.hasOwn(values, key) || skip.has(key)) continue;
    const value = values[key];
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') out[`${prefix}${key}`] = value;
  }
}

