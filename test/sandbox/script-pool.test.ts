import { afterAll, describe, expect, it } from 'vitest';
import { normaliseLimits } from '../../src/sandbox/script/script-limits.js';
import { ScriptPool } from '../../src/sandbox/script/script-pool.js';
import { DEFAULT_SCRIPT_LIMITS, type ScriptOutcome } from '../../src/sandbox/script/script-types.js';
import { memoryHost, request, TEST_LIMITS } from './script-fixtures.js';

// What a well-behaved program gets: its return value, its console, its tools, state and timers.
// One worker, so consecutive runs share it (and show that nothing carries over).
const pool = new ScriptPool({ workers: 1 });
afterAll(() => pool.close());

function ok(outcome: ScriptOutcome): Extract<ScriptOutcome, { ok: true }> {
  if (!outcome.ok) throw new Error(`the run failed (${outcome.reason}): ${outcome.message}`);
  return outcome;
}

describe('return values', () => {
  it('gives an object as compact JSON and pretty text', async () => {
    const outcome = ok(await pool.run(request('return { a: 1, list: [1, "two"] }')));
    expect(outcome.json).toBe('{"a":1,"list":[1,"two"]}');
    expect(outcome.text).toBe(JSON.stringify({ a: 1, list: [1, 'two'] }, null, 2));
    expect(outcome.cut).toBeUndefined();
  });

  it('gives a string as itself, a number as its JSON, undefined as text only', async () => {
    expect(ok(await pool.run(request('return "héllo"')))).toMatchObject({ json: '"héllo"', text: 'héllo' });
    expect(ok(await pool.run(request('return 6 * 7')))).toMatchObject({ json: '42', text: '42' });
    const nothing = ok(await pool.run(request('const x = 1')));
    expect(nothing.json).toBeUndefined();
    expect(nothing.text).toBe('undefined');
  });

  it('shows a value JSON cannot hold with String(), without json', async () => {
    const outcome = ok(await pool.run(request('return 10n ** 20n')));
    expect(outcome).toMatchObject({ text: '100000000000000000000' });
    expect(outcome.json).toBeUndefined();
  });

  it('cuts text over maxOutputBytes with a marker, and leaves json out', async () => {
    const outcome = ok(await pool.run(request('return "é".repeat(3000)'))); // 6000 bytes > 4096
    expect(outcome.json).toBeUndefined();
    expect(outcome.cut).toEqual({ shownBytes: 4096, totalBytes: 6000 });
    expect(outcome.text).toBe(`${'é'.repeat(2048)}\n[output cut: showing 4096 of 6000 bytes]`);
  });

  it('runs top-level await', async () => {
    expect(ok(await pool.run(request('const v = await Promise.resolve(20); return v + 1'))).json).toBe('21');
  });

  it('runs TypeScript, its types stripped', async () => {
    const code = 'interface P { a: number }\nconst p: P = { a: 2 };\nfunction twice<T extends number>(x: T): number { return x * 2 }\nreturn twice<number>(p.a) as number;';
    expect(ok(await pool.run(request(code))).json).toBe('4');
  });
});

describe('syntax errors', () => {
  it('reports a JavaScript parse error with its line and column', async () => {
    const outcome = await pool.run(request('const a = 1;\nconst b = ;'));
    expect(outcome).toMatchObject({ ok: false, reason: 'syntax', errorName: 'SyntaxError' });
    expect(outcome.ok ? '' : outcome.message).toMatch(/\(line 2, column 11\)$/);
  });

  it('reports TypeScript that strip-only mode cannot run', async () => {
    const outcome = await pool.run(request('enum Colour { Red }\nreturn Colour.Red'));
    expect(outcome).toMatchObject({ ok: false, reason: 'syntax', message: expect.stringContaining('enum') });
  });
});

describe('console', () => {
  it('collects every level, objects as JSON, errors by name and message', async () => {
    const code = 'console.log("plain", 1, { a: [1] }); console.info("i"); console.warn("w"); console.error(new TypeError("bad")); console.debug(null, undefined)';
    expect(ok(await pool.run(request(code))).console).toEqual(['plain 1 {"a":[1]}', '[info] i', '[warn] w', '[error] TypeError: bad', '[debug] null undefined']);
  });

  it('keeps the console of a failed run', async () => {
    expect(await pool.run(request('console.log("before"); throw new Error("after")'))).toMatchObject({ ok: false, reason: 'thrown', console: ['before'] });
  });
});

describe('tools', () => {
  it('sends JSON arguments to the host and gives the program its JSON answer', async () => {
    const host = memoryHost({ add: (args) => ({ sum: (args as { a: number; b: number }).a + (args as { a: number; b: number }).b }) });
    const outcome = ok(await pool.run(request('const r = await tools.add({ a: 2, b: 3 }); const s = await tools["add"]({ a: r.sum, b: 1 }); return s.sum', { toolNames: ['add'], host })));
    expect(outcome).toMatchObject({ json: '6', toolCalls: 2 });
    expect(host.calls).toEqual([{ name: 'add', args: { a: 2, b: 3 } }, { name: 'add', args: { a: 5, b: 1 } }]);
  });

  it('lists its tools and refuses a name not in the list', async () => {
    const outcome = ok(await pool.run(request('let message; try { await tools.nope({}) } catch (e) { message = e.message } return [Object.keys(tools), "nope" in tools, message]', { toolNames: ['echo', 'other'] })));
    expect(JSON.parse(outcome.json ?? '')).toEqual([['echo', 'other'], false, 'no tool named nope is available to this program']);
    expect(outcome.toolCalls).toBe(0);
  });

  it('shows the program the name and message of a host rejection, and keeps them when uncaught', async () => {
    const refuse = (): never => {
      throw Object.assign(new Error('not allowed here'), { name: 'ToolRefusedError' });
    };
    const host = memoryHost({ refuse });
    const caught = ok(await pool.run(request('try { await tools.refuse({}) } catch (e) { return [e.name, e.message, e instanceof Error] }', { toolNames: ['refuse'], host })));
    expect(JSON.parse(caught.json ?? '')).toEqual(['ToolRefusedError', 'not allowed here', true]);
    const uncaught = await pool.run(request('await tools.refuse({ x: 1 })', { toolNames: ['refuse'], host }));
    expect(uncaught).toMatchObject({ ok: false, reason: 'thrown', errorName: 'ToolRefusedError', message: 'not allowed here', toolCalls: 1 });
  });

  it('refuses arguments that are not JSON inside the program', async () => {
    const outcome = await pool.run(request('await tools.echo({ n: 1n })'));
    expect(outcome).toMatchObject({ ok: false, reason: 'thrown', errorName: 'TypeError', toolCalls: 0 });
  });

  it('passes no arguments as undefined', async () => {
    const host = memoryHost({ echo: (args) => ({ got: args === undefined ? 'nothing' : args }) });
    expect(ok(await pool.run(request('return (await tools.echo()).got', { host }))).json).toBe('"nothing"');
  });
});

describe('state', () => {
  it('gets, sets (with a ttl) and deletes through the host', async () => {
    const host = memoryHost();
    const code = 'await state.set("k", { n: 1 }, 5000); const got = await state.get("k"); const gone = await state.delete("k"); return [got, gone, await state.get("k")]';
    const outcome = ok(await pool.run(request(code, { host })));
    expect(JSON.parse(outcome.json ?? '')).toEqual([{ n: 1 }, true, null]); // the missing value: undefined, null in JSON
    expect(host.store.size).toBe(0);
  });

  it('keeps the ttl the program gave', async () => {
    const host = memoryHost();
    await pool.run(request('await state.set("t", 1, 250)', { host }));
    expect(host.store.get('t')).toEqual({ value: 1, ttlMs: 250 });
  });

  it('is not there when the host has none', async () => {
    const { state: _state, ...host } = memoryHost();
    expect(ok(await pool.run(request('return typeof state', { host }))).json).toBe('"undefined"');
  });
});

describe('timers', () => {
  it('fires setTimeout callbacks in delay order and honours clearTimeout', async () => {
    const code = 'const seen = []; await new Promise((done) => { setTimeout(() => seen.push("b"), 30); setTimeout(() => seen.push("a"), 5); const c = setTimeout(() => seen.push("never"), 10); clearTimeout(c); setTimeout(done, 60, "x"); }); return seen';
    expect(ok(await pool.run(request(code))).json).toBe('["a","b"]');
  });

  it('throws on a delay over maxTimerMs rather than clamping it', async () => {
    const outcome = await pool.run(request('setTimeout(() => {}, 1000)'));
    expect(outcome).toMatchObject({ ok: false, reason: 'thrown', errorName: 'RangeError', message: expect.stringContaining('limit of 200 ms') });
  });

  it('fails the run when a timer callback throws', async () => {
    const outcome = await pool.run(request('setTimeout(() => { throw new Error("in timer") }, 1); await new Promise((r) => setTimeout(r, 100)); return "not reached"'));
    expect(outcome).toMatchObject({ ok: false, reason: 'thrown', message: 'in timer' });
  });
});

describe('runs are separate', () => {
  it('gives each run a fresh context: globals and prototypes do not carry over', async () => {
    await pool.run(request('globalThis.leak = 1; Object.prototype.polluted = 1; tools.echo = 1; return 1'));
    const outcome = ok(await pool.run(request('return [typeof leak, ({}).polluted === undefined, typeof tools.echo]')));
    expect(outcome.json).toBe('["undefined",true,"function"]');
  });

  it('reports a thrown non-Error by its text, without a name', async () => {
    const outcome = await pool.run(request('throw "boom"'));
    expect(outcome).toMatchObject({ ok: false, reason: 'thrown', message: 'boom' });
    expect(outcome.ok ? 'x' : outcome.errorName).toBeUndefined();
  });
});

describe('the pool', () => {
  it('counts its workers, busy ones and the queue', async () => {
    const running = pool.run(request('await new Promise((r) => setTimeout(r, 50)); return 1'));
    const waiting = pool.run(request('return 2'));
    expect(pool.stats()).toEqual({ workers: 1, busy: 1, queued: 1 });
    expect([ok(await running).json, ok(await waiting).json]).toEqual(['1', '2']);
    expect(pool.stats()).toEqual({ workers: 1, busy: 0, queued: 0 });
  });

  it('times out a program waiting on nothing from inside the worker, run after run', async () => {
    // Regression: Node may fire the deadline timer a millisecond early; the run must still end
    // in the worker, not wait for the main thread to terminate it (that would start new workers).
    let started = 0;
    const counted = new ScriptPool({ workers: 1, onWorker: () => (started += 1) });
    for (let i = 0; i < 15; i++) {
      expect(await counted.run(request('await new Promise(() => {})', { limits: { ...TEST_LIMITS, wallMs: 20 } }))).toMatchObject({ ok: false, reason: 'timeout' });
    }
    expect(started).toBe(1);
    await counted.close();
  });

  it('answers cancelled once closed', async () => {
    const closing = new ScriptPool({ workers: 1 });
    ok(await closing.run(request('return 1')));
    await closing.close();
    expect(await closing.run(request('return 1'))).toMatchObject({ ok: false, reason: 'cancelled', message: 'the script pool is closed' });
    expect(closing.stats()).toEqual({ workers: 0, busy: 0, queued: 0 });
  });

  it('lets idle workers exit', async () => {
    const brief = new ScriptPool({ workers: 1, idleMs: 10 });
    ok(await brief.run(request('return 1')));
    await expect.poll(() => brief.stats().workers).toBe(0);
    ok(await brief.run(request('return 1'))); // and starts a new one on demand
    await brief.close();
  });
});

describe('normaliseLimits', () => {
  it('turns odd values into the nearest sane ones', () => {
    expect(normaliseLimits({ ...TEST_LIMITS, wallMs: Number.NaN, stackBytes: 64 * 1024 * 1024, memoryBytes: 10, maxToolCalls: -3, maxOutputBytes: 10.7 })).toMatchObject({
      wallMs: 1,
      stackBytes: 4 * 1024 * 1024,
      memoryBytes: 1024 * 1024,
      maxToolCalls: 0,
      maxOutputBytes: 10,
    });
    expect(normaliseLimits(DEFAULT_SCRIPT_LIMITS)).toEqual(DEFAULT_SCRIPT_LIMITS);
  });
});
