// The host side of the prelude's `host` object: each function takes and gives strings, numbers
// or promises of strings, never a handle to a host object. Tool calls and state operations are
// sent to the pool as messages; their promises settle when `onReply` brings the answer back.

/** Past these, the program gets a RangeError (it may catch it); they bound the worker and the pool. */
const MAX_PENDING_TIMERS = 1000;
const MAX_STATE_OPS = 1000;
const MAX_ARGUMENT_BYTES = 4 * 1024 * 1024;

/**
 * @typedef {object} HostFunctions
 * @property {import('quickjs-emscripten').QuickJSHandle} object the VM object handed to the prelude
 * @property {(message: { callId: number, ok: boolean, value?: string, name?: string, message?: string }) => void} onReply
 * @property {() => void} dispose drops pending promises and timers, then the object
 */

/**
 * @param {import('./script-run.mjs').ScriptRun} run
 * @returns {HostFunctions}
 */
export function createHostFunctions(run) {
  const { context, limits } = run;
  const toolNames = new Set(run.request.toolNames);
  /** @type {Map<number, import('quickjs-emscripten').QuickJSDeferredPromise>} */
  const pending = new Map();
  /** @type {Map<ReturnType<typeof setTimeout>, import('quickjs-emscripten').QuickJSDeferredPromise>} */
  const timers = new Map();
  let nextCallId = 1;
  let stateOps = 0;

  const text = (handle) => (handle !== undefined && context.typeof(handle) === 'string' ? context.getString(handle) : undefined);
  const checkSize = (value, what) => {
    if (value !== undefined && Buffer.byteLength(value) > MAX_ARGUMENT_BYTES) throw new RangeError(`${what} are over ${MAX_ARGUMENT_BYTES} bytes of JSON`);
  };
  const ask = (message) => {
    const callId = nextCallId;
    nextCallId += 1;
    const deferred = context.newPromise();
    pending.set(callId, deferred);
    run.post({ ...message, runId: run.request.runId, callId });
    return deferred.handle;
  };

  const functions = {
    call(nameHandle, argsHandle) {
      const name = text(nameHandle) ?? '';
      if (!toolNames.has(name)) throw new Error(`no tool named ${name} is available to this program`);
      if (run.toolCalls >= limits.maxToolCalls) {
        run.failure ??= { reason: 'tool-calls', message: `the program made more tool calls than its limit of ${limits.maxToolCalls}` };
        throw new RangeError(`tool call limit of ${limits.maxToolCalls} reached`);
      }
      const args = text(argsHandle);
      checkSize(args, `the arguments to tool ${name}`);
      run.toolCalls += 1;
      return ask({ type: 'call', name, args });
    },
    state(opHandle, keyHandle, valueHandle, ttlHandle) {
      if (stateOps >= MAX_STATE_OPS) throw new RangeError(`more than ${MAX_STATE_OPS} state operations in one run`);
      const value = text(valueHandle);
      checkSize(value, 'state values');
      stateOps += 1;
      const ttlMs = ttlHandle !== undefined && context.typeof(ttlHandle) === 'number' ? context.getNumber(ttlHandle) : undefined;
      return ask({ type: 'state', op: text(opHandle), key: text(keyHandle) ?? '', value, ttlMs: Number.isFinite(ttlMs) ? ttlMs : undefined });
    },
    log(levelHandle, lineHandle) {
      run.console.add(text(levelHandle) ?? 'log', text(lineHandle) ?? '');
    },
    sleep(msHandle) {
      const asked = msHandle !== undefined && context.typeof(msHandle) === 'number' ? context.getNumber(msHandle) : 0;
      const ms = asked > 0 ? asked : 0; // NaN and negatives mean now, as in Node
      // Longer delays throw rather than clamp: a program that meant to wait longer should know.
      if (ms > limits.maxTimerMs) throw new RangeError(`setTimeout delay of ${ms} ms is over this program's limit of ${limits.maxTimerMs} ms`);
      if (timers.size >= MAX_PENDING_TIMERS) throw new RangeError(`more than ${MAX_PENDING_TIMERS} pending timers`);
      const deferred = context.newPromise();
      const timer = setTimeout(() => {
        timers.delete(timer);
        settle(deferred, { ok: true });
      }, ms);
      timers.set(timer, deferred);
      return deferred.handle;
    },
    done(jsonHandle, textHandle) {
      run.result ??= { ok: true, json: text(jsonHandle), text: text(textHandle) ?? '' };
    },
    fail(nameHandle, messageHandle) {
      run.result ??= { ok: false, name: text(nameHandle) ?? '', message: text(messageHandle) ?? '' };
    },
  };

  /** Settles a promise the VM waits on with an answer's text or error, then moves the VM on. */
  const settle = (deferred, answer) => {
    if (run.finished) return;
    try {
      const value = answer.ok ? (answer.value === undefined ? undefined : context.newString(answer.value)) : context.newError({ name: answer.name ?? 'Error', message: answer.message ?? '' });
      try {
        if (answer.ok) deferred.resolve(value);
        else deferred.reject(value);
      } finally {
        value?.dispose();
        deferred.dispose();
      }
    } catch (error) {
      run.finishHostError(error);
      return;
    }
    run.pump();
  };

  const object = context.newObject();
  for (const [key, fn] of Object.entries(functions)) {
    const handle = context.newFunction(key, fn);
    context.setProp(object, key, handle);
    handle.dispose();
  }

  return {
    object,
    onReply(message) {
      const deferred = pending.get(message.callId);
      if (!deferred) return;
      pending.delete(message.callId);
      settle(deferred, message);
    },
    dispose() {
      for (const [timer, deferred] of timers) {
        clearTimeout(timer);
        deferred.dispose();
      }
      timers.clear();
      for (const deferred of pending.values()) deferred.dispose();
      pending.clear();
      object.dispose();
    },
  };
}
