/**
 * Runs untrusted programs in QuickJS on a pool of worker threads, so a hostile one costs a
 * worker, never the gateway's event loop. Workers start on demand, one program each at a time,
 * and exit when idle; runs wait in a bounded queue when every worker is busy.
 */
import { availableParallelism } from 'node:os';
import { ScriptJob } from './script-job.js';
import { normaliseLimits } from './script-limits.js';
import { ScriptSlot } from './script-slot.js';
import type { ScriptOutcome, ScriptPoolOptions, ScriptRequest } from './script-types.js';

/**
 * @example
 * const pool = new ScriptPool();
 * const outcome = await pool.run({
 *   code: 'const r = await tools.echo({ text: "hi" }); return r.text',
 *   toolNames: ['echo'],
 *   limits: DEFAULT_SCRIPT_LIMITS,
 *   host: { callTool: async (_name, args) => args },
 * });
 * // outcome: { ok: true, json: '"hi"', text: 'hi', console: [], toolCalls: 1, ms: 12 }
 * await pool.close();
 */
export class ScriptPool {
  readonly #workers: number;
  readonly #maxQueued: number;
  readonly #idleMs: number;
  readonly #options: ScriptPoolOptions;
  readonly #slots = new Set<ScriptSlot>();
  readonly #queue: ScriptJob[] = [];
  #nextRunId = 1;
  #closed = false;

  constructor(options: ScriptPoolOptions = {}) {
    this.#options = options;
    this.#workers = Math.max(1, Math.floor(options.workers ?? Math.min(4, availableParallelism())));
    this.#maxQueued = Math.max(0, Math.floor(options.maxQueued ?? 64));
    this.#idleMs = Math.max(0, options.idleMs ?? 30_000);
  }

  /** Runs one program. Never rejects: every way a run can end is a `ScriptOutcome`. */
  run(request: ScriptRequest): Promise<ScriptOutcome> {
    return new Promise((resolve) => {
      const runId = this.#nextRunId;
      this.#nextRunId = runId >= 2 ** 31 - 1 ? 1 : runId + 1; // the cancel flag is an Int32
      const job = new ScriptJob(runId, { ...request, limits: normaliseLimits(request.limits) }, resolve);
      if (this.#closed) return job.fail('cancelled', 'the script pool is closed');
      if (request.signal?.aborted) return job.fail('cancelled', 'the run was cancelled before it started');
      const slot = this.#freeSlot();
      if (slot) return slot.start(job);
      if (this.#queue.length >= this.#maxQueued) {
        return job.fail('busy', `all ${this.#workers} sandbox workers are busy and ${this.#queue.length} runs are waiting`);
      }
      this.#queue.push(job);
      const signal = request.signal;
      if (signal) {
        const onAbort = (): void => {
          this.#dequeue(job);
          job.fail('cancelled', 'the run was cancelled while it waited for a worker');
        };
        signal.addEventListener('abort', onAbort, { once: true });
        job.onLeaveQueue(() => signal.removeEventListener('abort', onAbort));
      }
    });
  }

  stats(): { workers: number; busy: number; queued: number } {
    let busy = 0;
    for (const slot of this.#slots) if (slot.busy) busy += 1;
    return { workers: this.#slots.size, busy, queued: this.#queue.length };
  }

  /** Settles waiting and running runs as 'cancelled' and stops every worker. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const job of this.#queue.splice(0)) job.fail('cancelled', 'the script pool closed');
    await Promise.all([...this.#slots].map((slot) => slot.close('cancelled', 'the script pool closed')));
  }

  #freeSlot(): ScriptSlot | undefined {
    for (const slot of this.#slots) if (slot.usable && !slot.busy) return slot;
    if (this.#slots.size >= this.#workers) return undefined;
    const slot = new ScriptSlot({ free: (s) => this.#onFree(s), gone: (s) => this.#onGone(s) }, this.#options.onWorker);
    this.#slots.add(slot);
    return slot;
  }

  #onFree(slot: ScriptSlot): void {
    const next = this.#queue.shift();
    if (next) slot.start(next.leaveQueue());
    else slot.idle(this.#idleMs);
  }

  #onGone(slot: ScriptSlot): void {
    this.#slots.delete(slot);
    if (this.#closed) return;
    const next = this.#queue[0];
    if (!next) return;
    const replacement = this.#freeSlot();
    if (replacement) replacement.start(this.#dequeue(next));
  }

  #dequeue(job: ScriptJob): ScriptJob {
    const at = this.#queue.indexOf(job);
    if (at >= 0) this.#queue.splice(at, 1);
    return job.leaveQueue();
  }
}
