import { randomUUID } from 'node:crypto';
import { inputRequired, type Result } from '@modelcontextprotocol/server';
import { OutletError } from '../errors/index.js';
import type { InputRounds } from '../router/router-deps.js';
import type { ClientChannel } from '../upstream/client-channel.js';

/** Marks request states this bridge minted (anything else belongs to an upstream). */
const TOKEN_PREFIX = 'outlet-bridge:';

interface AskedInput {
  key: string;
  method: string;
  params: Record<string, unknown> | undefined;
  resolve: (result: Record<string, unknown>) => void;
  reject: (err: Error) => void;
}

interface BridgedCall {
  /** The upstream call, still running while the caller gathers input. */
  call: Promise<Result>;
  /** Cancels the upstream call: the caller aborted a round, or the call expired. */
  cancel: AbortController;
  /** What the upstream is waiting for right now, by input key (it may ask several at once). */
  asked: Map<string, AskedInput>;
  /** Wakes the round that is waiting for either the result or the next question. */
  wake?: () => void;
  timer?: NodeJS.Timeout;
  seq: number;
}

/**
 * Bridges a 2026-07-28 caller to a 2025-era upstream (SEP-2322 multi-round-trip input): when the
 * upstream, mid-call, pushes a sampling or elicitation request, the caller cannot be asked
 * directly (2026 has no server-to-client requests), so the gateway answers the caller with
 * `input_required`, keeps the upstream call open, and resumes it when the caller retries with
 * `inputResponses` and the `requestState` token. Abandoned calls expire: the upstream's pending
 * request is then refused so it does not wait forever.
 */
export class InputBridge implements InputRounds {
  private readonly calls = new Map<string, BridgedCall>();

  constructor(private readonly ttlMs = 120_000) {}

  static owns(requestState: unknown): requestState is string {
    return typeof requestState === 'string' && requestState.startsWith(TOKEN_PREFIX);
  }

  /**
   * One exchange with the caller: its `requestState` names a bridged call to resume with its
   * `inputResponses`; otherwise a call begins, and the upstream sees the params without those two.
   */
  exchange(
    params: Record<string, unknown>,
    base: ClientChannel,
    signal: AbortSignal,
    start: (params: Record<string, unknown>, channel: ClientChannel, upstreamSignal: AbortSignal) => Promise<Result>,
  ): Promise<Result> {
    const { requestState, inputResponses, ...forwarded } = params;
    if (InputBridge.owns(requestState)) return this.resume(requestState, inputResponses as Record<string, unknown> | undefined, signal);
    return this.begin(base, signal, (channel, upstreamSignal) => start(forwarded, channel, upstreamSignal));
  }

  /**
   * Starts a bridged call: `start` runs the upstream request with the channel it is given, whose
   * `request()` turns the upstream's questions into `input_required` rounds.
   */
  begin(base: ClientChannel, signal: AbortSignal, start: (channel: ClientChannel, upstreamSignal: AbortSignal) => Promise<Result>): Promise<Result> {
    const entry: BridgedCall = { call: Promise.resolve({}), cancel: new AbortController(), asked: new Map(), seq: 0 };
    const channel: ClientChannel = {
      ...base,
      request: (method, params) =>
        new Promise((resolve, reject) => {
          const key = `input-${++entry.seq}`;
          entry.asked.set(key, { key, method, params, resolve, reject });
          entry.wake?.();
        }),
    };
    entry.call = start(channel, entry.cancel.signal);
    return this.round(entry, signal);
  }

  /** Continues a bridged call with the caller's answers. */
  resume(token: string, inputResponses: Record<string, unknown> | undefined, signal: AbortSignal): Promise<Result> {
    const entry = this.calls.get(token);
    if (!entry) throw new OutletError('INVALID_PARAMS', 'params.requestState: unknown or expired; start the call again', { path: 'params.requestState' });
    this.calls.delete(token);
    clearTimeout(entry.timer);
    for (const [key, asked] of entry.asked) {
      const answer = inputResponses?.[key];
      if (answer === undefined || typeof answer !== 'object' || answer === null) continue;
      entry.asked.delete(key);
      asked.resolve(answer as Record<string, unknown>);
    }
    // Questions left without a usable answer are asked again (SEP-2322 re-request).
    return this.round(entry, signal);
  }

  /**
   * Waits for the upstream's result or its next question, whichever comes first. While a round is
   * open its caller can cancel the whole upstream call; between rounds only the expiry can.
   */
  private async round(entry: BridgedCall, signal: AbortSignal): Promise<Result> {
    const question = new Promise<'asked'>((resolve) => {
      if (entry.asked.size > 0) resolve('asked');
      else entry.wake = () => resolve('asked');
    });
    const onAbort = () => entry.cancel.abort(signal.reason);
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    let outcome: { result: Result } | 'asked';
    try {
      outcome = await Promise.race([entry.call.then((result) => ({ result })), question]);
    } finally {
      signal.removeEventListener('abort', onAbort);
      entry.wake = undefined;
    }
    if (outcome !== 'asked') return outcome.result;
    // An upstream asking several things at once sends them back to back: gather the ones that
    // arrive in the same turn into this round.
    await new Promise((resolve) => setImmediate(resolve));
    const token = `${TOKEN_PREFIX}${randomUUID()}`;
    entry.timer = setTimeout(() => this.expire(token), this.ttlMs);
    entry.timer.unref();
    this.calls.set(token, entry);
    const inputRequests = Object.fromEntries([...entry.asked.values()].map((a) => [a.key, { method: a.method, ...(a.params ? { params: a.params } : {}) }]));
    return inputRequired({ inputRequests: inputRequests as never, requestState: token }) as unknown as Result;
  }

  private expire(token: string): void {
    const entry = this.calls.get(token);
    if (!entry) return;
    this.calls.delete(token);
    for (const asked of entry.asked.values()) asked.reject(new OutletError('UPSTREAM_TIMEOUT', 'the caller did not answer the input request in time'));
    entry.asked.clear();
    entry.cancel.abort(new Error('input request expired'));
    entry.call.catch(() => undefined);
  }

  get size(): number {
    return this.calls.size;
  }
}
