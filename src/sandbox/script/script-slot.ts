/**
 * One worker thread of a ScriptPool and the run on it. The worker enforces the limits itself;
 * the slot is the backstop: a run that has not answered a little after its wall limit, or after
 * a cancel, has its worker terminated (Node stops even WebAssembly mid-instruction-stream), and a
 * worker that dies takes only its own run with it.
 */
import { Worker } from 'node:worker_threads';
import { answerHostMessage } from './script-host-bridge.js';
import type { ScriptJob } from './script-job.js';
import type { ReplyMessage, RunMessage, WorkerMessage } from './script-messages.js';
import type { ScriptFailure } from './script-types.js';

const WORKER_URL = new URL('./script-worker.mjs', import.meta.url);
/** How long past wallMs (or a cancel) the worker gets to answer before it is terminated. */
const BACKSTOP_GRACE_MS = 500;
/** Loading QuickJS (and amaro, for TypeScript) in a fresh worker, before the program starts. */
const STARTUP_ALLOWANCE_MS = 10_000;
/**
 * Node's stack for the worker. QuickJS checks its own stack (at most 4 MiB) in the WebAssembly
 * build's stack, but each of its frames also takes 2 to 4 times as much of Node's native stack;
 * with 32 MiB its check always fires first, and nothing throws through the WebAssembly.
 */
const WORKER_STACK_MB = 32;
/** The worker's JS heap: results and console lines copied out of QuickJS. */
const WORKER_HEAP_MB = 256;

export interface SlotEvents {
  /** The run ended and the worker can take another. */
  free(slot: ScriptSlot): void;
  /** The worker has exited (or is being replaced); drop the slot. */
  gone(slot: ScriptSlot): void;
}

interface ActiveRun {
  job: ScriptJob;
  controller: AbortController;
  toolCalls: number;
  cancelled: boolean;
  onAbort: () => void;
}

export class ScriptSlot {
  readonly worker: Worker;
  readonly #cancelFlag = new Int32Array(new SharedArrayBuffer(4));
  readonly #events: SlotEvents;
  #active: ActiveRun | undefined;
  #backstop: NodeJS.Timeout | undefined;
  #idle: NodeJS.Timeout | undefined;
  /** Why we are terminating the worker, if we are; its run settles with this reason. */
  #stopping: { reason: ScriptFailure; message: string } | undefined;
  #crash: string | undefined;
  #exited = false;
  readonly #exit: Promise<void>;

  constructor(events: SlotEvents, onWorker?: (worker: Worker) => void) {
    this.#events = events;
    this.worker = new Worker(WORKER_URL, {
      workerData: { cancel: this.#cancelFlag.buffer },
      resourceLimits: { stackSizeMb: WORKER_STACK_MB, maxOldGenerationSizeMb: WORKER_HEAP_MB },
      env: {},
    });
    this.worker.on('message', (message: WorkerMessage) => this.#onMessage(message));
    this.worker.on('error', (error: unknown) => {
      this.#crash = error instanceof Error ? error.message : String(error);
    });
    this.#exit = new Promise((resolve) => {
      this.worker.once('exit', () => {
        this.#exited = true;
        this.#onExit();
        resolve();
      });
    });
    onWorker?.(this.worker);
  }

  get busy(): boolean {
    return this.#active !== undefined;
  }

  /** Whether the slot can take a run: alive and not being stopped. */
  get usable(): boolean {
    return !this.#exited && this.#stopping === undefined;
  }

  start(job: ScriptJob): void {
    clearTimeout(this.#idle);
    this.worker.ref();
    const { limits, signal } = job.request;
    const run: ActiveRun = { job, controller: new AbortController(), toolCalls: 0, cancelled: false, onAbort: () => this.#cancel(run) };
    this.#active = run;
    signal?.addEventListener('abort', run.onAbort, { once: true });
    // Compiling may take its own wallMs before the program starts; 'started' re-arms this.
    this.#arm(limits.wallMs * 2 + BACKSTOP_GRACE_MS + STARTUP_ALLOWANCE_MS, 'timeout', `the program ran past its ${limits.wallMs} ms limit`);
    const message: RunMessage = { type: 'run', runId: job.runId, code: job.request.code, toolNames: [...job.request.toolNames], limits, hasState: job.request.host.state !== undefined };
    this.worker.postMessage(message);
    if (signal?.aborted) this.#cancel(run);
  }

  /** Lets an idle worker exit after `idleMs` (unless a run comes first). */
  idle(idleMs: number): void {
    this.worker.unref();
    clearTimeout(this.#idle);
    this.#idle = setTimeout(() => this.#stop({ reason: 'cancelled', message: 'idle' }), idleMs);
    this.#idle.unref();
  }

  /** Ends the run on it (with `reason`) and the worker. */
  async close(reason: ScriptFailure, message: string): Promise<void> {
    this.#stop({ reason, message });
    await this.#exit;
  }

  #onMessage(message: WorkerMessage): void {
    const run = this.#active;
    if (!run || message.runId !== run.job.runId) return;
    if (message.type === 'started') {
      const { wallMs } = run.job.request.limits;
      if (!run.cancelled) this.#arm(wallMs + BACKSTOP_GRACE_MS, 'timeout', `the program ran past its ${wallMs} ms limit`);
    } else if (message.type === 'call' || message.type === 'state') {
      if (message.type === 'call') run.toolCalls += 1;
      answerHostMessage(message, run.job.request, run.controller.signal, (reply: ReplyMessage) => {
        if (this.#active === run && this.usable) this.worker.postMessage(reply);
      });
    } else if (message.type === 'done') {
      const outcome = run.cancelled && (message.outcome.ok || message.outcome.reason !== 'cancelled') ? { ...message.outcome, ok: false as const, reason: 'cancelled' as const, message: 'the run was cancelled' } : message.outcome;
      this.#end(run);
      run.job.settle(outcome);
      if (message.recycle) this.#stop({ reason: 'crashed', message: 'recycled' });
      else this.#events.free(this);
    }
  }

  #cancel(run: ActiveRun): void {
    if (this.#active !== run || run.cancelled) return;
    run.cancelled = true;
    run.controller.abort();
    Atomics.store(this.#cancelFlag, 0, run.job.runId); // reaches a VM that is busy computing
    this.worker.postMessage({ type: 'cancel', runId: run.job.runId }); // reaches one waiting on the host
    this.#arm(BACKSTOP_GRACE_MS, 'cancelled', 'the run was cancelled');
  }

  #arm(ms: number, reason: ScriptFailure, message: string): void {
    clearTimeout(this.#backstop);
    this.#backstop = setTimeout(() => this.#stop({ reason, message }), ms);
  }

  #end(run: ActiveRun): void {
    clearTimeout(this.#backstop);
    run.controller.abort();
    run.job.request.signal?.removeEventListener('abort', run.onAbort);
    this.#active = undefined;
  }

  /** Settles the run on it (if any) with `why`, and terminates the worker. */
  #stop(why: { reason: ScriptFailure; message: string }): void {
    if (this.#exited || this.#stopping) return;
    this.#stopping = why;
    clearTimeout(this.#idle);
    const run = this.#active;
    if (run) {
      this.#end(run);
      run.job.fail(run.cancelled ? 'cancelled' : why.reason, run.cancelled ? 'the run was cancelled' : why.message, run.toolCalls);
    }
    this.#events.gone(this);
    void this.worker.terminate();
  }

  #onExit(): void {
    clearTimeout(this.#idle);
    const run = this.#active;
    if (run) {
      this.#end(run);
      run.job.fail(run.cancelled ? 'cancelled' : 'crashed', run.cancelled ? 'the run was cancelled' : `the sandbox worker stopped${this.#crash ? `: ${this.#crash}` : ' unexpectedly'}`, run.toolCalls);
    }
    if (!this.#stopping) this.#events.gone(this);
  }
}
