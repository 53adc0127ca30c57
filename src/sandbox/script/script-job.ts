import { performance } from 'node:perf_hooks';
import type { ScriptFailure, ScriptOutcome, ScriptRequest } from './script-types.js';

/**
 * One `run()` call from the moment it is made: queued, then on a worker. It settles once; `ms`
 * is measured from the call, so queueing and worker start are in it.
 */
export class ScriptJob {
  readonly calledAt = performance.now();
  #settled = false;
  #onLeaveQueue: (() => void) | undefined;

  constructor(
    readonly runId: number,
    readonly request: ScriptRequest,
    private readonly resolve: (outcome: ScriptOutcome) => void,
  ) {}

  get settled(): boolean {
    return this.#settled;
  }

  /** Runs once when the job leaves the queue, for a worker or settled (drops the queue's abort listener). */
  onLeaveQueue(callback: () => void): void {
    this.#onLeaveQueue = callback;
  }

  leaveQueue(): this {
    const callback = this.#onLeaveQueue;
    this.#onLeaveQueue = undefined;
    callback?.();
    return this;
  }

  settle(outcome: ScriptOutcome): void {
    if (this.#settled) return;
    this.#settled = true;
    this.leaveQueue();
    this.resolve({ ...outcome, ms: Math.round(performance.now() - this.calledAt) });
  }

  /** Settles with a failure the pool decided (no worker outcome, so no console lines). */
  fail(reason: ScriptFailure, message: string, toolCalls = 0): void {
    this.settle({ ok: false, reason, message, console: [], toolCalls, ms: 0 });
  }
}
