// One program run inside a worker: a fresh QuickJS runtime and context, the host functions the
// prelude closes over, and the loop that drives the VM's job queue as host answers and timers
// arrive. The VM runs only when this file calls into it; between calls the worker's event loop
// is free, so replies, timers, the deadline and a cancel message all get through.
import { ConsoleSink, showText } from './script-output.mjs';
import { PRELUDE } from './script-prelude.mjs';
import { compileProgram } from './script-source.mjs';
import { classifyError, readError } from './script-errors.mjs';
import { createHostFunctions } from './script-host-functions.mjs';

/** A heap grown past its base by more than this is given back: the pool replaces the worker. */
const RECYCLE_SLACK_BYTES = 16 * 1024 * 1024;

/**
 * @typedef {object} RunRequest
 * @property {number} runId
 * @property {string} code
 * @property {string[]} toolNames
 * @property {import('./script-types.js').ScriptLimits} limits
 * @property {boolean} hasState
 */

/**
 * Runs one program to its outcome. `post` sends messages to the pool (`started`, `call`,
 * `state`); `onReply`/`cancel` take the pool's messages back in.
 */
export class ScriptRun {
  /**
   * @param {import('./script-engine.mjs').ScriptEngine} engine
   * @param {RunRequest} request
   * @param {(message: object) => void} post
   * @param {Int32Array} cancelFlag the pool writes the run id here to stop a busy VM
   */
  constructor(engine, request, post, cancelFlag) {
    this.engine = engine;
    this.request = request;
    this.limits = request.limits;
    this.post = post;
    this.cancelFlag = cancelFlag;
    this.console = new ConsoleSink(request.limits.maxConsoleBytes);
    this.toolCalls = 0;
    /** @type {{ ok: true, json?: string, text: string } | { ok: false, name: string, message: string } | undefined} */
    this.result = undefined;
    /** @type {{ reason: string, message: string } | undefined} set by a host function or a cancel; stops the VM */
    this.failure = undefined;
    this.deadline = Infinity;
    this.startedAt = Date.now();
    this.finished = false;
    /** @type {import('quickjs-emscripten').QuickJSHandle[]} */
    this.owned = [];
    this.recycle = false;
    /** @type {(value: { outcome: object, recycle: boolean }) => void} */
    this.settle = () => undefined;
  }

  /** @returns {Promise<{ outcome: object, recycle: boolean }>} */
  start() {
    const ended = new Promise((resolve) => {
      this.settle = resolve;
    });
    this.begin().catch((error) => this.finishHostError(error));
    return ended;
  }

  async begin() {
    const { limits } = this;
    // Past the cap every further allocation fails too, so a program that catches its "out of
    // memory" and loops on cannot outlast the cap by minutes of cheap failures; it unwinds, and
    // the interrupt handler (which reads the cap) stops whatever is left.
    this.engine.capRun(limits.memoryBytes, () => this.runtime?.setMemoryLimit(1));
    this.runtime = this.engine.module.newRuntime();
    this.runtime.setMemoryLimit(limits.memoryBytes);
    this.runtime.setMaxStackSize(limits.stackBytes);
    this.runtime.setInterruptHandler(() => this.shouldInterrupt());
    this.context = this.runtime.newContext();
    this.host = createHostFunctions(this);
    const runner = this.callPrelude(); // ours, and slow only in a cold worker: no deadline yet
    // Compiling gets its own wallMs per attempt (a program that closes the wrapper's braces runs
    // code at compile time), not counting the wait for amaro to load.
    const compiled = await compileProgram(this.context, this.request.code, () => {
      this.deadline = Date.now() + limits.wallMs;
    });
    if (this.finished) return;
    if (!compiled.ok) {
      if (compiled.name === 'SyntaxError') return this.finish({ ok: false, reason: 'syntax', errorName: compiled.name, message: compiled.message });
      if (this.failure || this.interruptReason()) return this.finishStopped();
      return this.finish({ ok: false, reason: classifyError(compiled, this.engine.capHit()), errorName: compiled.name || undefined, message: compiled.message });
    }
    this.owned.push(compiled.fn);
    this.deadline = Date.now() + limits.wallMs;
    this.armDeadline();
    this.post({ type: 'started', runId: this.request.runId });
    const call = this.context.callFunction(runner, this.context.undefined, compiled.fn);
    if (call.error) return this.finishVmError(call.error);
    this.promise = call.value;
    this.owned.push(call.value);
    this.pump();
  }

  /** Wakes the run at its deadline (Node may fire a timer a millisecond early: then it waits on). */
  armDeadline() {
    this.deadlineTimer = setTimeout(() => {
      if (Date.now() > this.deadline) this.pump();
      else this.armDeadline();
    }, Math.max(1, this.deadline - Date.now() + 1));
  }

  /** Evaluates the prelude and calls it: the globals are installed, the runner comes back. */
  callPrelude() {
    const { context } = this;
    const install = this.own(context.unwrapResult(context.evalCode(PRELUDE, 'prelude.js')));
    const names = this.own(context.newString(JSON.stringify(this.request.toolNames)));
    const hasState = this.request.hasState ? context.true : context.false;
    return this.own(context.unwrapResult(context.callFunction(install, context.undefined, this.host.object, names, hasState)));
  }

  /** @param {import('quickjs-emscripten').QuickJSHandle} handle */
  own(handle) {
    this.owned.push(handle);
    return handle;
  }

  shouldInterrupt() {
    return this.failure !== undefined || this.interruptReason() !== undefined;
  }

  /** Stops the run from outside: a cancel message while the VM waits on the host. */
  cancel() {
    this.failure ??= { reason: 'cancelled', message: 'the run was cancelled' };
    this.pump();
  }

  /**
   * Runs the VM's pending jobs, then settles the run if it has ended. Called after every event
   * that may move the program on (start, a host answer, a timer, the deadline).
   */
  pump() {
    if (this.finished || !this.promise) return;
    let jobs;
    try {
      jobs = this.runtime.executePendingJobs();
    } catch (error) {
      return this.finishHostError(error);
    }
    if (jobs.error) return this.finishVmError(jobs.error);
    if (this.failure || this.interruptReason()) return this.finishStopped();
    if (this.result) return this.finishResult(this.result);
    const state = this.context.getPromiseState(this.promise);
    if (state.type === 'rejected') return this.finishVmError(state.error);
    if (state.type === 'fulfilled') {
      if (!state.notAPromise) state.value.dispose();
      return this.finish({ ok: false, reason: 'thrown', message: 'the program ended without reporting a result' });
    }
  }

  /**
   * Why the VM must stop now, if it must. A refused heap growth stops the run even when the
   * program catches the "out of memory" error: the limit is on the run, not on one allocation.
   *
   * @returns {'cancelled' | 'timeout' | 'memory' | undefined}
   */
  interruptReason() {
    if (Atomics.load(this.cancelFlag, 0) === this.request.runId) return 'cancelled';
    if (this.engine.capHit()) return 'memory'; // the cause, when it also ran out of time
    if (Date.now() > this.deadline) return 'timeout';
    return undefined;
  }

  finishStopped() {
    if (this.failure) return this.finish({ ok: false, ...this.failure });
    const reason = this.interruptReason();
    if (reason === 'cancelled') return this.finish({ ok: false, reason, message: 'the run was cancelled' });
    if (reason === 'memory') return this.finish({ ok: false, reason, errorName: 'InternalError', message: 'out of memory' });
    return this.finish({ ok: false, reason: 'timeout', message: `the program ran past its ${this.limits.wallMs} ms limit` });
  }

  /** @param {import('quickjs-emscripten').QuickJSHandle} handle an error the VM threw; disposed here */
  finishVmError(handle) {
    const error = readError(this.context, handle);
    handle.dispose();
    if (this.failure || this.interruptReason()) return this.finishStopped();
    const reason = classifyError(error, this.engine.capHit());
    return this.finish({ ok: false, reason, errorName: error.name || undefined, message: error.message });
  }

  /** A throw out of the QuickJS library itself (Node's own stack overflow in the WASM, an abort). */
  finishHostError(error) {
    this.recycle = true; // the module may be left inconsistent
    if (this.finished) return;
    const overflow = error instanceof RangeError && /call stack/i.test(error.message);
    this.finish({ ok: false, reason: overflow ? 'stack' : 'crashed', message: overflow ? 'stack overflow' : `the sandbox failed: ${String(error?.message ?? error)}` });
  }

  /** @param {{ ok: true, json?: string, text: string } | { ok: false, name: string, message: string }} result */
  finishResult(result) {
    if (!result.ok) {
      const reason = classifyError(result, this.engine.capHit());
      return this.finish({ ok: false, reason, errorName: result.name || undefined, message: result.message });
    }
    const json = result.json !== undefined && Buffer.byteLength(result.json) <= this.limits.maxOutputBytes ? result.json : undefined;
    return this.finish({ ok: true, json, ...showText(result.text, this.limits.maxOutputBytes) });
  }

  /** Settles the run once: the VM is torn down, then the outcome goes to the pool. */
  finish(fields) {
    if (this.finished) return;
    this.finished = true;
    clearTimeout(this.deadlineTimer);
    this.teardown();
    const outcome = { ...fields, console: this.console.lines(), toolCalls: this.toolCalls, ms: Date.now() - this.startedAt };
    if (this.engine.heapBytes() > this.engine.baseBytes + RECYCLE_SLACK_BYTES) this.recycle = true;
    this.settle({ outcome, recycle: this.recycle });
  }

  teardown() {
    try {
      this.host?.dispose();
      for (const handle of this.owned) if (handle.alive) handle.dispose();
      this.context?.dispose();
      this.runtime?.dispose();
    } catch {
      this.recycle = true; // a leak QuickJS asserts on: the module is no longer trusted
    }
  }
}
