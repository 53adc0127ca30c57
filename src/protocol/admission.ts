import type { AuthInfo, Result } from '@modelcontextprotocol/server';
import { OutletError } from '../errors/index.js';
import type { CallContext, Handler, Principal, RequestScope, SessionInfo } from '../policy/call-context.js';
import { traceCarrierOf } from './trace-carrier.js';
import { createCallContext } from './call-context.js';

/**
 * What the HTTP layer hands an endpoint with one request (policy/http-policy.ts builds it): the
 * AuthInfo the SDK passes to handlers (carrying the principal), the principal a session is bound
 * to, the content limits of a parsed message, and the HTTP answer to a refusal of the chain.
 */
export interface InboundRequest {
  authInfo?: AuthInfo;
  principal?: Principal;
  principalId?: string;
  /** A 400 for a message over the content limits, or undefined. */
  checkMessage?(body: unknown): Response | undefined;
  /** The HTTP answer to a refusal that needs an HTTP status (403 with challenge, 429), or undefined. */
  refusal?(err: unknown, id: string | number | null): Response | undefined;
}

/** Where one message is served: the chain to run, and the methods the SDK's handler routes there. */
export interface AdmissionTarget {
  handle: Handler;
  scope: RequestScope;
  session: SessionInfo;
  /** Whether the gateway's handler routes `method` (the SDK answers everything else itself). */
  routes(method: string): boolean;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** The runs waiting for their handler, by the Request the SDK hands its handler as `ctx.http.req`. */
const waiting = new WeakMap<object, AdmittedRun>();

/**
 * One request's single run of the policy chain, begun when the HTTP layer admits the message and
 * finished by the SDK's handler for it. The chain runs on a context made from the message; at the
 * chain's end (`CallContext.handOver`) it waits until the handler claims the run with the context
 * the SDK built (signal, progress, channel, envelope), which it then takes on, and the router
 * runs; the result goes back out through the same run (list filtering, audit) to the handler.
 */
class AdmittedRun {
  /** The whole run's outcome, which the handler returns. */
  readonly result: Promise<Result>;
  /** Settles once the policies have decided: undefined when they let the request through, else the refusal. */
  readonly verdict: Promise<{ refusal?: unknown }>;
  private claimed = false;
  private released = false;
  private take!: (sdk: CallContext) => void;
  private abandon!: (err: Error) => void;

  constructor(handle: Handler, ctx: Mutable<CallContext>) {
    const taken = new Promise<CallContext>((resolve, reject) => {
      this.take = resolve;
      this.abandon = reject;
    });
    // A run abandoned before its policies passed never reaches the hand-over.
    taken.catch(() => undefined);
    let reached!: () => void;
    const atEnd = new Promise<void>((resolve) => (reached = resolve));
    ctx.handOver = async () => {
      reached();
      const sdk = await taken;
      // The SDK's view of the request, with what the chain decided so far (principal, state) and
      // what observability started recording (observation) kept.
      Object.assign(ctx, sdk, { principal: ctx.principal, state: ctx.state, observation: ctx.observation });
    };
    this.result = handle(ctx);
    this.verdict = Promise.race([atEnd.then(() => ({})), this.result.then(
      () => ({}),
      (refusal: unknown) => ({ refusal }),
    )]);
  }

  /** The handler takes the run over with the context the SDK built; resolves with the run's result. */
  claim(sdk: CallContext): Promise<Result> {
    if (!this.released) {
      this.claimed = true;
      this.take(sdk);
    }
    return this.result;
  }

  /**
   * Called once the SDK has been handed the message and its dispatch has run: a run nobody
   * claimed is one the SDK answered itself (params that do not fit the method's schema, a
   * session or protocol-version header it refuses), so it ends here.
   */
  release(): void {
    if (this.claimed || this.released) return;
    this.released = true;
    this.abandon(new OutletError('INVALID_REQUEST', 'the request was answered by the protocol layer before it reached the gateway'));
  }
}

/** The run admitted for the request the SDK handed a handler (`ctx.http.req`), if any. */
export function admittedRun(request: unknown): { claim(sdk: CallContext): Promise<Result> } | undefined {
  if (typeof request !== 'object' || request === null) return undefined;
  const run = waiting.get(request);
  if (run) waiting.delete(request);
  return run;
}

/**
 * Admits one parsed message and serves it: content limits first (400), then, for a request the
 * gateway routes, the policy chain's run. A refusal that needs an HTTP status (403 with its
 * challenge, 429 with Retry-After) is answered here; any other refusal (a denial that looks like
 * an unknown name, a withheld tool, invalid arguments) reaches the client from the SDK's handler
 * in the SDK's own response format. Otherwise `serve` hands the message to the SDK, after `bind`
 * has put the run where the handler finds it (the exact Request given to the SDK).
 *
 * Notifications and responses from the client, and requests the SDK answers itself (initialize,
 * ping), go straight to the SDK. Without `inbound` (no HTTP layer in front) the handler runs the
 * chain itself: one run either way.
 */
export async function admitAndServe(
  target: AdmissionTarget,
  request: Request,
  body: unknown,
  inbound: InboundRequest | undefined,
  serve: (bind: (req: Request) => void) => Promise<Response>,
): Promise<Response> {
  const tooLarge = inbound?.checkMessage?.(body);
  if (tooLarge) return tooLarge;
  const message = body as { method?: unknown; id?: unknown; params?: unknown } | null;
  const id = typeof message?.id === 'string' || typeof message?.id === 'number' ? message.id : undefined;
  if (!inbound || typeof message?.method !== 'string' || id === undefined || !target.routes(message.method)) return serve(() => undefined);
  const run = new AdmittedRun(target.handle, admissionContext(target, request, message.method, message.params, id, inbound.principal));
  const { refusal } = await run.verdict;
  if (refusal !== undefined) {
    const answered = inbound.refusal?.(refusal, id);
    if (answered) return answered;
  }
  try {
    return await serve((req) => waiting.set(req, run));
  } finally {
    // The SDK dispatches a handler in the microtasks after it takes the message: by the next turn
    // of the event loop the run is claimed, or the SDK answered the request itself. setImmediate,
    // not a timer: one per request on the hot path, and it needs no timer list entry.
    setImmediate(() => run.release());
  }
}

/** The chain's view of a message before the SDK has parsed it (the handler fills in the rest). */
function admissionContext(target: AdmissionTarget, request: Request, method: string, rawParams: unknown, rpcId: string | number, principal: Principal | undefined): Mutable<CallContext> {
  const params = rawParams !== null && typeof rawParams === 'object' && !Array.isArray(rawParams) ? (rawParams as Record<string, unknown>) : {};
  return createCallContext(method, params, {
    scope: target.scope,
    session: target.session,
    principal,
    signal: request.signal,
    headers: traceCarrierOf(request),
    rpcId,
    state: new Map(),
  });
}
