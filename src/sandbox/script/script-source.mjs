// Turning the program text into a function inside the VM.
//
// The text is the body of an async function (top-level `await` and `return` work), so it is
// wrapped before anything parses it. Plain JavaScript is compiled as it is; text that does not
// parse is taken for TypeScript, stripped of its types by amaro (strip-only keeps every
// position: types become spaces) and compiled again. Only TypeScript programs pay for loading
// amaro, once per worker.

import { readError, readString } from './script-errors.mjs';

/** The wrapper's first line; user line N is line N + 1 of the wrapped text. */
const HEAD = '(async () => {\n';
const TAIL = '\n})';

/** @type {Promise<typeof import('amaro')> | undefined} */
let amaro;

/**
 * @typedef {{ ok: true, fn: import('quickjs-emscripten').QuickJSHandle } | { ok: false, name: string, message: string }} Compiled
 */

/**
 * Compiles `code` in `context` to the program function (a handle the caller owns).
 *
 * @param {import('quickjs-emscripten').QuickJSContext} context
 * @param {string} code
 * @param {() => void} beforeEvaluate called right before each compile attempt (the caller starts its deadline)
 * @returns {Promise<Compiled>}
 * @example
 * const compiled = await compileProgram(context, 'return 1', () => undefined);
 * if (compiled.ok) context.callFunction(compiled.fn, context.undefined);
 */
export async function compileProgram(context, code, beforeEvaluate) {
  const wrapped = HEAD + code + TAIL;
  beforeEvaluate();
  const first = evaluate(context, wrapped);
  if (first.ok || first.name !== 'SyntaxError') return first;
  amaro ??= import('amaro');
  let stripped;
  try {
    stripped = (await amaro).transformSync(wrapped, { mode: 'strip-only' }).code;
  } catch (error) {
    return { ok: false, name: 'SyntaxError', message: amaroMessage(error) };
  }
  if (stripped === wrapped) return first; // nothing TypeScript in it: the JavaScript error stands
  beforeEvaluate();
  return evaluate(context, stripped);
}

/**
 * @param {import('quickjs-emscripten').QuickJSContext} context
 * @param {string} source
 * @returns {Compiled}
 */
function evaluate(context, source) {
  const result = context.evalCode(source, 'program.js');
  if (result.error) {
    const { name, message } = readError(context, result.error);
    const stack = name === 'SyntaxError' ? safely(() => readString(context, result.error, 'stack')) : '';
    result.error.dispose();
    return { ok: false, name, message: name === 'SyntaxError' ? withPosition(message, stack) : message };
  }
  if (context.typeof(result.value) !== 'function') {
    // Only a program that closes the wrapper's braces itself gets here.
    result.value.dispose();
    return { ok: false, name: 'SyntaxError', message: 'the program has unbalanced braces: it must be the body of a function' };
  }
  return { ok: true, fn: result.value };
}

/** QuickJS puts the position in the stack ("at program.js:3:7"); lines there count the wrapper. */
function withPosition(message, stack) {
  const at = /program\.js:(\d+):(\d+)/.exec(stack);
  return at ? `${message} (line ${Number(at[1]) - 1}, column ${at[2]})` : message;
}

function safely(read) {
  try {
    return read();
  } catch {
    return '';
  }
}

/** amaro's errors carry 1-based lines and 0-based columns, in the wrapped text. */
function amaroMessage(error) {
  const message = String(error?.message ?? error);
  if (typeof error?.startLine !== 'number') return message;
  return `${message} (line ${error.startLine - 1}, column ${Number(error.startColumn) + 1})`;
}
