import type { Worker } from 'node:worker_threads';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { ScriptPool } from '../../src/sandbox/script/script-pool.js';
import type { ScriptOutcome } from '../../src/sandbox/script/script-types.js';
import { contained, memoryHost, request, SHORT_WALL, TEST_LIMITS, warm } from './script-fixtures.js';

// Programs that try to hurt the gateway or get out. Each is contained: its run fails with the
// right reason, and a trivial run on the other worker (and a main-thread timer) carry on meanwhile.
const pool = new ScriptPool({ workers: 2 });
afterAll(() => pool.close());
beforeEach(() => warm(pool)); // a hostile run may have cost a worker; the bystander needs a warm one

function json(outcome: ScriptOutcome): unknown {
  if (!outcome.ok) throw new Error(`the run failed (${outcome.reason}): ${outcome.message}`);
  return JSON.parse(outcome.json ?? 'null');
}

describe('runaway programs', () => {
  it('stops an endless loop at wallMs', async () => {
    const run = await contained(pool, request('for (;;) {}', { limits: SHORT_WALL }));
    expect(run.outcome).toMatchObject({ ok: false, reason: 'timeout', message: 'the program ran past its 300 ms limit' });
    expect(run.bystander).toMatchObject({ ok: true, json: '2' });
    expect(run.bystanderFirst).toBe(true);
    expect(run.ticks).toBeGreaterThan(0);
  });

  it('stops a loop the interpreter cannot interrupt (long native calls) by terminating its worker', async () => {
    // QuickJS polls its interrupt handler only every 10,000 bytecode steps; here each step is a
    // native call of milliseconds, so the worker is terminated from the main thread instead.
    const run = await contained(pool, request('for (;;) "x".repeat(1e6)', { limits: SHORT_WALL }));
    expect(run.outcome).toMatchObject({ ok: false, reason: 'timeout' });
    expect(run.bystander).toMatchObject({ ok: true, json: '2' });
    expect(run.bystanderFirst).toBe(true);
  });

  it('bounds code that escapes the wrapper to run while compiling', async () => {
    const run = await contained(pool, request('}); for (;;) {} (async () => {', { limits: SHORT_WALL }));
    expect(run.outcome).toMatchObject({ ok: false, reason: 'timeout' });
    expect(run.bystander).toMatchObject({ ok: true, json: '2' });
  });

  it('ends a memory bomb with reason memory', async () => {
    const run = await contained(pool, request("let a = []; for (;;) a.push('x'.repeat(1e6))"));
    expect(run.outcome).toMatchObject({ ok: false, reason: 'memory', message: 'out of memory' });
    expect(run.bystander).toMatchObject({ ok: true, json: '2' });
    expect(run.ticks).toBeGreaterThan(0);
  });

  it('ends a memory bomb that catches its out-of-memory error and carries on with reason memory', async () => {
    const code = "let a = []; for (;;) { try { a.push('x'.repeat(1e6)) } catch (e) { a.push(e) } }";
    const run = await contained(pool, request(code));
    expect(run.outcome).toMatchObject({ ok: false, reason: 'memory', message: 'out of memory' });
    expect(run.bystander).toMatchObject({ ok: true, json: '2' });
  });

  it('ends deep recursion with reason stack', async () => {
    const run = await contained(pool, request('function f() { return f() } f()'));
    expect(run.outcome).toMatchObject({ ok: false, reason: 'stack', message: 'stack overflow' });
    expect(run.bystander).toMatchObject({ ok: true, json: '2' });
  });

  it('ends recursion through native callbacks with reason stack', async () => {
    const run = await contained(pool, request('function g() { return [1].map(g) } g()', { limits: { ...TEST_LIMITS, stackBytes: 4 * 1024 * 1024 } }));
    expect(run.outcome).toMatchObject({ ok: false, reason: 'stack' });
    expect(json(await pool.run(request('return 1')))).toBe(1);
  });

  it('bounds a console flood and says how much it dropped', async () => {
    const run = await contained(pool, request('for (;;) console.log("flood line")', { limits: SHORT_WALL }));
    expect(run.outcome).toMatchObject({ ok: false, reason: 'timeout' });
    const lines = run.outcome.console;
    expect(Buffer.byteLength(lines.slice(0, -1).join('\n'))).toBeLessThanOrEqual(TEST_LIMITS.maxConsoleBytes);
    expect(lines.at(-1)).toMatch(/^\[console output over its 1024-byte limit: \d+ more lines and \d+ bytes dropped\]$/);
    expect(run.bystanderFirst).toBe(true);
  });

  it('cuts the line that crosses the console limit, counting its cut bytes as dropped', async () => {
    const outcome = await pool.run(request('console.log("a".repeat(1000)); console.log("b".repeat(100)); console.log("c")'));
    // 1001 bytes used; 23 left minus a newline and the 3-byte ellipsis: 19 b's shown, 81 dropped.
    expect(outcome.console).toEqual(['a'.repeat(1000), `${'b'.repeat(19)}…`, '[console output over its 1024-byte limit: 1 more lines and 83 bytes dropped]']);
    expect(Buffer.byteLength(outcome.console.slice(0, -1).join('\n'))).toBeLessThanOrEqual(1024);
  });

  it('keeps console lines of a run that ends normally after a flood, with the count of what was dropped', async () => {
    const outcome = await pool.run(request('for (let i = 0; i < 500; i++) console.log("line " + i); return "done"'));
    expect(outcome).toMatchObject({ ok: true, json: '"done"' });
    expect(outcome.console[0]).toBe('line 0');
    // With their newlines lines 0-9 take 7 bytes, 10-99 take 8 and 100-125 take 9: 1024 bytes exactly.
    expect(outcome.console).toHaveLength(127);
    expect(outcome.console.at(-2)).toBe('line 125');
    expect(outcome.console.at(-1)).toBe('[console output over its 1024-byte limit: 374 more lines and 3366 bytes dropped]');
  });

  it('stops 10,000 tool calls at maxToolCalls', async () => {
    const host = memoryHost({ echo: (args) => args });
    const run = await contained(pool, request('for (let i = 0; i < 10000; i++) await tools.echo({ i })', { host }));
    expect(run.outcome).toMatchObject({ ok: false, reason: 'tool-calls', toolCalls: TEST_LIMITS.maxToolCalls });
    expect(host.calls).toHaveLength(TEST_LIMITS.maxToolCalls);
    expect(run.bystander).toMatchObject({ ok: true, json: '2' });
  });

  it('stops tool calls fired without awaiting at maxToolCalls, even when the program catches the refusal', async () => {
    const host = memoryHost({ echo: (args) => args });
    const outcome = await pool.run(request('for (let i = 0; i < 10000; i++) { try { tools.echo({ i }).catch(() => {}) } catch {} } return "finished"', { host }));
    expect(outcome).toMatchObject({ ok: false, reason: 'tool-calls' });
    expect(host.calls.length).toBeLessThanOrEqual(TEST_LIMITS.maxToolCalls);
  });
});

describe('nothing of the host is reachable', () => {
  it('has no process, require, fetch, Buffer or module', async () => {
    const code = 'return [typeof process, typeof require, typeof fetch, typeof Buffer, typeof module, typeof exports, typeof WebAssembly, typeof std, typeof os]';
    expect(json(await pool.run(request(code)))).toEqual(Array(9).fill('undefined'));
  });

  it('cannot import a module', async () => {
    expect(await pool.run(request('return await import("fs")'))).toMatchObject({ ok: false, reason: 'thrown', message: "could not load module 'fs'" });
    expect(await pool.run(request('import fs from "fs"'))).toMatchObject({ ok: false, reason: 'syntax' });
  });

  it('shows only the language built-ins and its own globals on globalThis', async () => {
    const names = json(await pool.run(request('return Reflect.ownKeys(globalThis).map(String)'))) as string[];
    // ECMAScript's globals (QuickJS adds InternalError), then the sandbox's own five: no host object, no I/O.
    const language = [
      'AggregateError', 'Array', 'ArrayBuffer', 'BigInt', 'BigInt64Array', 'BigUint64Array', 'Boolean', 'DataView', 'Date', 'Error', 'EvalError',
      'FinalizationRegistry', 'Float16Array', 'Float32Array', 'Float64Array', 'Function', 'Infinity', 'Int16Array', 'Int32Array', 'Int8Array',
      'InternalError', 'Iterator', 'JSON', 'Map', 'Math', 'NaN', 'Number', 'Object', 'Promise', 'Proxy', 'RangeError', 'ReferenceError', 'Reflect',
      'RegExp', 'Set', 'SharedArrayBuffer', 'String', 'Symbol', 'Symbol(Symbol.toStringTag)', 'SyntaxError', 'TypeError', 'URIError', 'Uint16Array',
      'Uint32Array', 'Uint8Array', 'Uint8ClampedArray', 'WeakMap', 'WeakRef', 'WeakSet', 'decodeURI', 'decodeURIComponent', 'encodeURI',
      'encodeURIComponent', 'escape', 'eval', 'globalThis', 'isFinite', 'isNaN', 'parseFloat', 'parseInt', 'undefined', 'unescape',
    ];
    expect([...names].sort()).toEqual([...language, 'clearTimeout', 'console', 'setTimeout', 'state', 'tools'].sort());
  });

  it('finds only the VM global through constructor.constructor', async () => {
    const code = 'const g = ({}).constructor.constructor("return this")(); const h = tools.echo.constructor.constructor("return this")(); const c = console.log.constructor("return this")(); return [g === globalThis, h === globalThis, c === globalThis, typeof g.process]';
    expect(json(await pool.run(request(code)))).toEqual([true, true, true, 'undefined']);
  });

  it('gets plain data from a tool: no prototype, no function, __proto__ only as an own key', async () => {
    class Rich {
      kind = 'rich';
      method(): string {
        return 'host';
      }
    }
    const host = memoryHost({
      poison: () => JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}}') as unknown,
      rich: () => new Rich(),
    });
    const code = 'const p = await tools.poison(); const r = await tools.rich(); return [({}).polluted === undefined, Object.getPrototypeOf(p) === Object.prototype, Object.keys(p), p.__proto__.polluted, r.kind, typeof r.method, Object.getPrototypeOf(r) === Object.prototype]';
    const outcome = await pool.run(request(code, { toolNames: ['poison', 'rich'], host }));
    expect(json(outcome)).toEqual([true, true, ['__proto__', 'constructor'], true, 'rich', 'undefined', true]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined(); // nor in the host
  });

  it('hands back only text from a returned object with toJSON, getters or functions', async () => {
    const code = 'return { fn() { return 1 }, get secret() { return ({}).constructor.constructor("return typeof process")() }, nested: { toJSON() { return { escaped: typeof globalThis.tools } } } }';
    const outcome = await pool.run(request(code));
    expect(json(outcome)).toEqual({ secret: 'undefined', nested: { escaped: 'object' } });
    expect(outcome.ok && typeof outcome.text).toBe('string');
  });

  it('contains a returned getter or toJSON that loops forever', async () => {
    const run = await contained(pool, request('return { get x() { for (;;) {} } }', { limits: SHORT_WALL }));
    expect(run.outcome).toMatchObject({ ok: false, reason: 'timeout' });
    expect(run.bystander).toMatchObject({ ok: true, json: '2' });
  });

  it('contains a thrown object whose name getter loops forever', async () => {
    expect(await pool.run(request('throw { get name() { for (;;) {} }, message: "m" }', { limits: SHORT_WALL }))).toMatchObject({ ok: false, reason: 'timeout' });
  });

  it('shows a returned function as text, never as something callable', async () => {
    const outcome = await pool.run(request('return function secret() { return 1 }'));
    expect(outcome).toMatchObject({ ok: true, text: 'function secret() { return 1 }' });
    expect(outcome.ok && outcome.json).toBeUndefined();
  });

  it('cuts a huge result to maxOutputBytes', async () => {
    const outcome = await pool.run(request('return "y".repeat(1e6)'));
    expect(outcome).toMatchObject({ ok: true, cut: { shownBytes: 4096, totalBytes: 1e6 } });
    expect(outcome.ok && outcome.text.endsWith('\n[output cut: showing 4096 of 1000000 bytes]')).toBe(true);
  });
});

describe('cancelling, queueing and crashes', () => {
  it('cancels a busy program through its signal', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const run = await contained(pool, request('for (;;) {}', { signal: controller.signal }));
    expect(run.outcome).toMatchObject({ ok: false, reason: 'cancelled' });
    expect(run.bystander).toMatchObject({ ok: true, json: '2' });
  });

  it('cancels a program waiting on a tool, and aborts that call', async () => {
    const controller = new AbortController();
    let toolSignal: AbortSignal | undefined;
    const host = memoryHost({
      wait: (_args, signal) => {
        toolSignal = signal;
        controller.abort();
        return new Promise(() => undefined);
      },
    });
    const outcome = await pool.run(request('await tools.wait(); return 1', { toolNames: ['wait'], host, signal: controller.signal }));
    expect(outcome).toMatchObject({ ok: false, reason: 'cancelled', toolCalls: 1 });
    expect(toolSignal?.aborted).toBe(true);
  });

  it('aborts the tool calls still in flight when a run ends', async () => {
    let toolSignal: AbortSignal | undefined;
    const host = memoryHost({
      slow: (_args, signal) => {
        toolSignal = signal;
        return new Promise(() => undefined);
      },
      echo: (args) => args,
    });
    const outcome = await pool.run(request('tools.slow(); await tools.echo(1); return "left it running"', { toolNames: ['slow', 'echo'], host }));
    expect(outcome).toMatchObject({ ok: true, json: '"left it running"' });
    expect(toolSignal?.aborted).toBe(true);
  });

  it('answers cancelled for a signal aborted before the run', async () => {
    expect(await pool.run(request('return 1', { signal: AbortSignal.abort() }))).toMatchObject({ ok: false, reason: 'cancelled' });
  });

  it('answers busy past maxQueued, and cancels a queued run', async () => {
    const small = new ScriptPool({ workers: 1, maxQueued: 1 });
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const host = memoryHost({ gate: () => gate.then(() => 'open') });
    const first = small.run(request('return await tools.gate()', { toolNames: ['gate'], host }));
    await expect.poll(() => host.calls.length).toBe(1);
    const controller = new AbortController();
    const queued = small.run(request('return 2', { signal: controller.signal }));
    expect(small.stats()).toEqual({ workers: 1, busy: 1, queued: 1 });
    expect(await small.run(request('return 3'))).toMatchObject({ ok: false, reason: 'busy' });
    controller.abort();
    expect(await queued).toMatchObject({ ok: false, reason: 'cancelled' });
    const next = small.run(request('return 4'));
    release();
    expect(await first).toMatchObject({ ok: true, json: '"open"' });
    expect(await next).toMatchObject({ ok: true, json: '4' });
    await small.close();
  });

  it('answers crashed when a worker dies mid-run, and carries on with a new worker', async () => {
    const workers: Worker[] = [];
    const fragile = new ScriptPool({ workers: 1, onWorker: (worker) => workers.push(worker) });
    const host = memoryHost({ wait: () => new Promise(() => undefined) });
    const running = fragile.run(request('await tools.wait(); return 1', { toolNames: ['wait'], host }));
    await expect.poll(() => host.calls.length).toBe(1);
    await workers[0]?.terminate();
    expect(await running).toMatchObject({ ok: false, reason: 'crashed', toolCalls: 1 });
    expect(await fragile.run(request('return "again"'))).toMatchObject({ ok: true, json: '"again"' });
    expect(workers).toHaveLength(2);
    await fragile.close();
  });

  it('settles running and queued runs as cancelled on close', async () => {
    const closing = new ScriptPool({ workers: 1 });
    const host = memoryHost({ wait: () => new Promise(() => undefined) });
    const running = closing.run(request('await tools.wait()', { toolNames: ['wait'], host }));
    const queued = closing.run(request('return 1'));
    await expect.poll(() => host.calls.length).toBe(1);
    await closing.close();
    expect(await running).toMatchObject({ ok: false, reason: 'cancelled', message: 'the script pool closed' });
    expect(await queued).toMatchObject({ ok: false, reason: 'cancelled', message: 'the script pool closed' });
  });
});
