import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArgumentValidator } from '../../src/policy/limits/argument-validator.js';
import { checkInputLimits } from '../../src/policy/limits/input-limits.js';
import { isOutletError, type OutletError } from '../../src/errors/index.js';
import { FIXTURE, startSecureOutlet, type SecureOutlet } from './harness.js';
import { connectWith, modern } from './http.js';

function thrown(fn: () => void): OutletError {
  try {
    fn();
  } catch (err) {
    if (isOutletError(err)) return err;
    throw err;
  }
  throw new Error('did not throw');
}

describe('checkInputLimits', () => {
  const limits = { maxDepth: 8, maxStringLength: 16 };

  it('passes ordinary messages', () => {
    expect(() => checkInputLimits({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'x', arguments: { a: [1, 2, { b: 'short' }] } } }, limits)).not.toThrow();
  });

  it('refuses deep nesting, naming the path', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 20; i++) deep = { a: deep };
    const err = thrown(() => checkInputLimits({ params: deep }, limits));
    expect(err.code).toBe('INPUT_LIMIT_EXCEEDED');
    expect(err.data?.path).toBe('params.a.a.a.a.a.a.a');
  });

  it('refuses long strings and long keys, naming the path', () => {
    expect(thrown(() => checkInputLimits({ params: { arguments: { items: ['ok', 'x'.repeat(17)] } } }, limits)).data?.path).toBe('params.arguments.items[1]');
    expect(thrown(() => checkInputLimits({ params: { ['k'.repeat(17)]: 1 } }, limits)).code).toBe('INPUT_LIMIT_EXCEEDED');
  });

  it('refuses __proto__ keys', () => {
    const err = thrown(() => checkInputLimits(JSON.parse('{"params":{"arguments":{"__proto__":{"admin":true}}}}'), limits));
    expect(err.code).toBe('INVALID_REQUEST');
    expect(err.data?.path).toBe('params.arguments.__proto__');
  });

  it('survives depth far beyond the stack (iterative)', () => {
    const text = `${'['.repeat(200_000)}${']'.repeat(200_000)}`;
    expect(thrown(() => checkInputLimits(JSON.parse(text), { maxDepth: 64, maxStringLength: 100 })).code).toBe('INPUT_LIMIT_EXCEEDED');
  });
});

describe('ArgumentValidator', () => {
  const schema = { type: 'object', properties: { path: { type: 'string' }, opts: { type: 'object', properties: { n: { type: 'array', items: { type: 'number' } } } } }, required: ['path'] };
  const v = new ArgumentValidator();

  it('accepts arguments that fit', () => {
    expect(() => v.check('t', schema, { path: '/a', opts: { n: [1] } })).not.toThrow();
  });

  it('refuses with INVALID_PARAMS (-32602) and the failing path', () => {
    const wrongType = thrown(() => v.check('t', schema, { path: '/a', opts: { n: [1, 'x'] } }));
    expect(wrongType.toJsonRpcError()).toMatchObject({ code: -32602, data: { path: 'params.arguments.opts.n[1]', tool: 't' } });
    expect(wrongType.message).toMatch(/^params\.arguments\.opts\.n\[1\]: must be number/);
    expect(thrown(() => v.check('t', schema, {})).data?.path).toBe('params.arguments.path');
  });

  it('lets a call through when the schema itself cannot be compiled, and says so once', () => {
    const broken: string[] = [];
    const lenient = new ArgumentValidator(undefined, (tool) => broken.push(tool));
    const bad = { $schema: 'https://example.com/unknown-dialect', type: 'object' };
    expect(() => lenient.check('b', bad, { anything: 1 })).not.toThrow();
    expect(() => lenient.check('b', bad, { anything: 2 })).not.toThrow();
    expect(broken).toEqual(['b']);
  });
});

describe('through the gateway', () => {
  let outlet: SecureOutlet;
  let client: Client;

  beforeAll(async () => {
    outlet = await startSecureOutlet(
      {
        servers: {
          fx: { command: process.execPath, args: [FIXTURE] },
          loose: { command: process.execPath, args: [FIXTURE] },
        },
      },
      {
        policies: [{ effect: 'deny', tools: ['nothing'] }],
        inputLimits: { maxDepth: 16, maxStringLength: 4096, servers: { loose: { validateArguments: false } } },
      },
    );
    client = await connectWith(`${outlet.url}/mcp`, undefined);
  });

  afterAll(async () => {
    await client?.close();
    await outlet?.close();
  });

  it('validates tool arguments against the inputSchema before forwarding', async () => {
    const err = await client.callTool({ name: 'fx__write_file', arguments: { path: '/a', content: 42 } }).catch((e: unknown) => e as { code: number; data: Record<string, unknown> });
    expect(err).toMatchObject({ code: -32602, data: { outletCode: 'INVALID_PARAMS', path: 'params.arguments.content' } });
    const missing = (await client.callTool({ name: 'fx__write_file', arguments: { path: '/a' } }).catch((e: unknown) => e)) as { data: Record<string, unknown> };
    expect(missing.data.path).toBe('params.arguments.content');
  });

  it('leaves validation to the upstream on a server configured so', async () => {
    const answer = await client.callTool({ name: 'loose__write_file', arguments: { path: '/a', content: 42 } }).then(
      (r) => ({ result: r }),
      (e: unknown) => ({ error: e as { data?: { outletCode?: string } } }),
    );
    // Whatever the upstream says, it is not the gateway's own refusal.
    expect('error' in answer ? answer.error.data?.outletCode : undefined).toBeUndefined();
  });

  it('refuses messages over the depth and string limits with 400 and the path', async () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 30; i++) deep = { d: deep };
    const tooDeep = await modern(outlet.url, 'tools/call', { name: 'fx__echo', arguments: { text: 'x', deep } }, { id: 7 });
    expect(tooDeep.status).toBe(400);
    expect(tooDeep.json).toMatchObject({ id: 7, error: { code: -32600, data: { outletCode: 'INPUT_LIMIT_EXCEEDED' } } });
    const long = await modern(outlet.url, 'tools/call', { name: 'fx__echo', arguments: { text: 'y'.repeat(5000) } });
    expect(long.status).toBe(400);
    expect((long.json?.error as { data: { path: string } }).data.path).toBe('params.arguments.text');
  });

  it('refuses names with invisible, bidi, look-alike or traversal characters', async () => {
    for (const name of ['fx__echo\u200b', 'fx__e\u202echo', 'ｆｘ__echo', 'fx__echo\r\nX-Injected: 1', '../fx__echo', 'fx__\udc00echo']) {
      const err = await client.callTool({ name, arguments: { text: 'x' } }).catch((e: unknown) => e as { code: number; message: string });
      expect(err.code, JSON.stringify(name)).toBe(-32602);
      expect(err.message, JSON.stringify(name)).toMatch(/params\.name: invalid name/);
    }
  });

  it('refuses resource URIs with path traversal', async () => {
    for (const uri of ['file:///data/../etc/passwd', 'note://public/%2e%2e/secret/plans', 'note://public/..%2fsecret']) {
      await expect(client.readResource({ uri }), uri).rejects.toThrow(/params\.uri: invalid URI/);
    }
  });
});
