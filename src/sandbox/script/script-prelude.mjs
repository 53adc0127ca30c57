// The globals a program sees, written as a function whose source is evaluated INSIDE QuickJS
// (`PRELUDE`), never called in Node. It closes over nothing: everything it needs arrives as
// arguments, and the host functions it gets stay in its closure, out of the program's reach.
//
// Everything crossing to the host is text: tool arguments, state values and the result are
// JSON-stringified here, answers are JSON-parsed here, so no host object, prototype or function
// ever exists in the VM. User hooks (toJSON, getters) run here too, under the run's limits.

/**
 * Installs `tools`, `console`, `setTimeout`/`clearTimeout` and (with `hasState`) `state` on the
 * VM's global object, and returns the runner: an async function that awaits the program and
 * reports its result through `host.done(json, text)` or its error through `host.fail(name, message)`.
 *
 * @param {{ call: Function, state: Function, log: Function, sleep: Function, done: Function, fail: Function }} host
 *   the worker's host functions (see script-run.mjs)
 * @param {string} toolNamesJson the tool names, as a JSON array
 * @param {boolean} hasState whether to install `state`
 * @returns {(program: () => Promise<unknown>) => Promise<void>}
 */
function installGlobals(host, toolNamesJson, hasState) {
  'use strict';
  // Taken now, before the program can replace them.
  const parse = JSON.parse;
  const stringify = JSON.stringify;
  const toText = String;
  const ErrorType = Error;
  const freeze = Object.freeze;
  const hasOwn = Object.prototype.hasOwnProperty;
  const race = Promise.race.bind(Promise);
  const define = (name, value) => Object.defineProperty(globalThis, name, { value, writable: true, configurable: true });

  const show = (value) => {
    try {
      if (typeof value === 'string') return value;
      if (value instanceof ErrorType) return `${toText(value.name)}: ${toText(value.message)}`;
      if (typeof value === 'function' || typeof value === 'symbol' || value === undefined) return toText(value);
      const json = stringify(value);
      return json === undefined ? toText(value) : json;
    } catch {
      try {
        return toText(value);
      } catch {
        return '[a value that cannot be shown]';
      }
    }
  };

  const consoleObject = {};
  for (const level of ['log', 'info', 'warn', 'error', 'debug']) {
    consoleObject[level] = (...args) => {
      let line = '';
      for (let i = 0; i < args.length; i += 1) line += (i === 0 ? '' : ' ') + show(args[i]);
      host.log(level, line);
    };
  }
  define('console', freeze(consoleObject));

  const callTool = async (name, args) => {
    const text = args === undefined ? undefined : stringify(args);
    if (args !== undefined && text === undefined) throw new TypeError(`the arguments to tool ${name} are not a JSON value`);
    const answer = await host.call(name, text);
    return answer === undefined ? undefined : parse(answer);
  };
  const table = Object.create(null);
  for (const name of parse(toolNamesJson)) {
    const tool = async (args) => callTool(name, args);
    Object.defineProperty(tool, 'name', { value: name });
    table[name] = freeze(tool);
  }
  freeze(table);
  const missing = (name) => async () => {
    throw new ErrorType(`no tool named ${name} is available to this program`);
  };
  define('tools', new Proxy(table, {
    get(target, key) {
      if (typeof key !== 'string') return undefined;
      if (hasOwn.call(target, key)) return target[key];
      // Protocol names answer undefined, so `await tools` and JSON.stringify(tools) behave.
      if (key === 'then' || key === 'toJSON') return undefined;
      return missing(key);
    },
  }));

  if (hasState) {
    const op = async (kind, key, valueText, ttlMs) => {
      const answer = await host.state(kind, toText(key), valueText, ttlMs);
      return answer === undefined ? undefined : parse(answer);
    };
    define('state', freeze({
      get: async (key) => op('get', key),
      set: async (key, value, ttlMs) => {
        const text = stringify(value);
        if (text === undefined) throw new TypeError('state.set needs a JSON value');
        await op('set', key, text, ttlMs === undefined ? undefined : Number(ttlMs));
      },
      delete: async (key) => op('delete', key),
    }));
  }

  // A throw inside a timer callback fails the run, as an uncaught exception would.
  let fatal;
  const fatalTimer = new Promise((_, reject) => {
    fatal = reject;
  });
  const live = new Set();
  let nextTimer = 1;
  define('setTimeout', (callback, ms, ...args) => {
    if (typeof callback !== 'function') throw new TypeError('setTimeout needs a function');
    const wait = host.sleep(ms === undefined ? 0 : Number(ms)); // throws past the delay limit
    const id = nextTimer;
    nextTimer += 1;
    live.add(id);
    wait.then(() => {
      if (!live.delete(id)) return;
      try {
        callback(...args);
      } catch (error) {
        fatal(error);
      }
    });
    return id;
  });
  define('clearTimeout', (id) => {
    live.delete(id);
  });

  const describeError = (error) => {
    try {
      if (error instanceof ErrorType || (typeof error === 'object' && error !== null && 'message' in error)) {
        return [toText(error.name), toText(error.message)];
      }
      return ['', show(error)];
    } catch {
      return ['', 'the program threw a value that cannot be shown'];
    }
  };
  const describeValue = (value) => {
    if (value === undefined) return [undefined, 'undefined'];
    let json;
    try {
      json = stringify(value);
    } catch {
      json = undefined;
    }
    if (typeof value === 'string') return [json, value];
    if (json === undefined) return [undefined, show(value)];
    try {
      return [json, stringify(value, null, 2)];
    } catch {
      return [json, json];
    }
  };

  return async (program) => {
    let value;
    try {
      value = await race([program(), fatalTimer]);
    } catch (error) {
      const [name, message] = describeError(error);
      host.fail(name, message);
      return;
    }
    const [json, text] = describeValue(value);
    host.done(json, text);
  };
}

/** The prelude's source, evaluated in each fresh QuickJS context; it evaluates to the function. */
export const PRELUDE = `(${installGlobals.toString()})`;
