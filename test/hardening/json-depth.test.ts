import { PassThrough } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { OutletRuntime } from '../../src/outlet/runtime.js';
import { depthOverflowAt } from '../../src/protocol/json-depth.js';
import { guardStdinLines } from '../../src/inbound/stdio/stdio-line-guard.js';
import { startTestOutlet } from '../helpers/outlet.js';

const MILLION = 1_000_000;
const nested = (depth: number): string => `${'['.repeat(depth)}${']'.repeat(depth)}`;
/** Objects nested `depth` deep (initialize wants an object under capabilities.experimental). */
const nestedObjects = (depth: number): string => `${'{"a":'.repeat(depth - 1)}{}${'}'.repeat(depth - 1)}`;

/** A 2025-era initialize whose capabilities carry `value` (a place any nesting may sit). */
function initialize(value: string): string {
  return `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","clientInfo":{"name":"t","version":"1"},"capabilities":{"experimental":{"x":${value}}}}}`;
}

const HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

describe('the depth scan', () => {
  it('finds the first bracket past the limit and ignores brackets inside strings', () => {
    expect(depthOverflowAt(nested(MILLION), 256)).toBe(256);
    expect(depthOverflowAt(nested(64), 64)).toBe(-1);
    expect(depthOverflowAt(`["${'['.repeat(500)}"]`, 64)).toBe(-1);
    expect(depthOverflowAt(`["\\"${'['.repeat(500)}"]`, 64)).toBe(-1);
    expect(depthOverflowAt(new TextEncoder().encode(`{"é":${nested(100)}}`), 64)).toBe(64 + '{"é":'.length);
  });
});

describe('JSON nested a million levels deep', () => {
  let outlet: OutletRuntime;
  beforeAll(async () => {
    outlet = await startTestOutlet({ servers: {}, rpc: { enabled: true } });
  });
  afterAll(async () => {
    await outlet?.close();
  });
  afterEach(() => vi.restoreAllMocks());

  /** Whether any JSON.parse call in this process got a text of at least `size` characters. */
  function watchParse(size: number): () => boolean {
    const parse = vi.spyOn(JSON, 'parse');
    return () => parse.mock.calls.some(([text]) => typeof text === 'string' && text.length >= size);
  }

  it.each(['/mcp', '/rpc'])('is refused on %s with -32600 naming the limit, before the body is parsed', async (path) => {
    const parsedHuge = watchParse(MILLION);
    const res = await fetch(`${outlet.url}${path}`, { method: 'POST', headers: HEADERS, body: initialize(nested(MILLION)) });
    expect(res.status).toBe(400);
    const text = await res.text();
    expect(text).toContain('-32600');
    expect(text).toContain('deeper than 256 levels (http.maxJsonDepth)');
    expect(parsedHuge()).toBe(false);
  });

  it('follows http.maxJsonDepth when the operator sets it', async () => {
    const strict = await startTestOutlet({ servers: {}, http: { maxJsonDepth: 8 } });
    try {
      const res = await fetch(`${strict.url}/mcp`, { method: 'POST', headers: HEADERS, body: initialize(nestedObjects(20)) });
      expect(res.status).toBe(400);
      expect(await res.text()).toContain('deeper than 8 levels');
    } finally {
      await strict.close();
    }
  });

  it('accepts a body nested within the limit', async () => {
    const res = await fetch(`${outlet.url}/mcp`, { method: 'POST', headers: HEADERS, body: initialize(nestedObjects(50)) });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(res.headers.get('mcp-session-id')).toBeTruthy();
  });

  it('is refused on a stdio line before it is parsed, and the next line still goes through', async () => {
    const input = new PassThrough();
    const answers: string[] = [];
    const passed: string[] = [];
    const guarded = guardStdinLines(input, (line) => answers.push(line));
    guarded.on('data', (chunk: Buffer) => passed.push(chunk.toString('utf8')));
    const parsedHuge = watchParse(MILLION);
    input.write(`${initialize(nested(MILLION))}\n{"jsonrpc":"2.0","id":2,"method":"ping"}\n`);
    await new Promise((r) => setImmediate(r));
    expect(answers).toHaveLength(1);
    expect(JSON.parse(answers[0]!)).toMatchObject({ id: null, error: { code: -32600, data: { limit: 256 } } });
    expect(answers[0]).toContain('http.maxJsonDepth');
    expect(passed.join('')).toBe('{"jsonrpc":"2.0","id":2,"method":"ping"}\n');
    expect(parsedHuge()).toBe(false);
  });
});
