import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSecuritySections } from '../../src/config/auth-schema.js';
import { MemoryRateLimitStore, RateLimiter } from '../../src/policy/rate-limit/rate-limit.js';
import { createPolicyLayer } from '../../src/policy/policy-layer.js';
import { isOutletError, type OutletError } from '../../src/errors/index.js';
import type { CallContext } from '../../src/policy/call-context.js';
import { buildPolicyChain } from '../../src/policy/chain.js';
import { compose } from '../../src/policy/compose.js';
import { FIXTURE, startSecureOutlet, type SecureOutlet } from './harness.js';
import { connectWith, modern } from './http.js';
import { sha256 } from './keys.js';

const principal = (id: string) => ({ id, roles: ['r'] });

describe('token buckets', () => {
  it('let a burst through, refuse with a retry time, and refill with time', async () => {
    let now = 0;
    const limiter = new RateLimiter(parseSecuritySections({ rateLimits: [{ per: ['principal'], capacity: 2, refillPerSecond: 0.5 }] }).rateLimits!, new MemoryRateLimitStore(), () => now);
    const take = () => limiter.take({ principal: principal('a'), method: 'tools/call' });
    expect(await take()).toEqual({ ok: true });
    expect(await take()).toEqual({ ok: true });
    const refused = await take();
    expect(refused).toMatchObject({ ok: false, retryAfterSeconds: 2, limit: 0 });
    // Another principal has its own bucket.
    expect(await limiter.take({ principal: principal('b'), method: 'tools/call' })).toEqual({ ok: true });
    now += 2000;
    expect(await take()).toEqual({ ok: true });
    expect((await take()).ok).toBe(false);
  });

  it('give back what earlier buckets took when a later one refuses', async () => {
    const store = new MemoryRateLimitStore();
    const limiter = new RateLimiter(
      parseSecuritySections({
        rateLimits: [
          { per: ['principal'], capacity: 3, refillPerSecond: 0.001 },
          { per: ['tool'], tools: ['fx__slow'], capacity: 1, refillPerSecond: 0.001 },
        ],
      }).rateLimits!,
      store,
      () => 0,
    );
    const slow = { principal: principal('a'), method: 'tools/call', server: 'fx', target: 'fx__slow' };
    expect((await limiter.take(slow)).ok).toBe(true); // principal 2 left, tool 0 left
    expect((await limiter.take(slow)).ok).toBe(false); // the tool bucket refuses; the principal token is given back
    expect((await limiter.take(slow)).ok).toBe(false);
    const other = { principal: principal('a'), method: 'tools/call', server: 'fx', target: 'fx__fast' };
    expect((await limiter.take(other)).ok).toBe(true);
    expect((await limiter.take(other)).ok).toBe(true);
    expect((await limiter.take(other)).ok).toBe(false);
  });

  it('apply only to the methods, servers, tools and roles they name', async () => {
    const limiter = new RateLimiter(
      parseSecuritySections({ rateLimits: [{ per: ['server'], servers: ['fx'], roles: ['r'], capacity: 1, refillPerSecond: 0.001 }] }).rateLimits!,
      new MemoryRateLimitStore(),
      () => 0,
    );
    expect((await limiter.take({ principal: principal('a'), method: 'tools/call', server: 'fx' })).ok).toBe(true);
    expect((await limiter.take({ principal: principal('b'), method: 'tools/call', server: 'fx' })).ok).toBe(false); // per server: shared
    expect((await limiter.take({ principal: principal('a'), method: 'tools/call', server: 'other' })).ok).toBe(true);
    expect((await limiter.take({ principal: principal('a'), method: 'tools/list', server: 'fx' })).ok).toBe(true);
    expect((await limiter.take({ principal: { id: 'c', roles: [] }, method: 'tools/call', server: 'fx' })).ok).toBe(true);
  });

  it('keep the store bounded', async () => {
    const store = new MemoryRateLimitStore(100);
    for (let i = 0; i < 1000; i++) store.take(`k${i}`, { capacity: 1, refillPerSecond: 1 }, 1, 0);
    expect(store.size).toBeLessThanOrEqual(100);
  });
});

describe('in the chain (stdio and SSE streams, where no HTTP status can be set)', () => {
  it('refuses with RATE_LIMITED and data.retryAfterSeconds', async () => {
    const security = createPolicyLayer({ namespace: { separator: '__' }, servers: {}, ...parseSecuritySections({ rateLimits: [{ capacity: 1, refillPerSecond: 0.1 }] }) });
    const handle = compose(buildPolicyChain(security), () => Promise.resolve({ content: [] }));
    const ctx = (): CallContext => ({
      method: 'tools/call',
      params: { name: 'x', arguments: {} },
      toolName: 'x',
      scope: { kind: 'aggregate' },
      session: { era: 'legacy', transport: 'stdio' },
      signal: new AbortController().signal,
      state: new Map(),
    });
    await handle(ctx());
    const err = await handle(ctx()).catch((e: unknown) => e);
    expect(isOutletError(err)).toBe(true);
    expect((err as OutletError).code).toBe('RATE_LIMITED');
    expect((err as OutletError).toJsonRpcError()).toMatchObject({ code: -32019, data: { outletCode: 'RATE_LIMITED', retryAfterSeconds: 10 } });
    await security.close();
  });
});

describe('over HTTP', () => {
  const KEYS = { a: 'rate-key-a-1234567890', b: 'rate-key-b-1234567890' };
  let outlet: SecureOutlet;

  beforeAll(async () => {
    outlet = await startSecureOutlet(
      { servers: { fx: { command: process.execPath, args: [FIXTURE] } } },
      {
        auth: {
          apiKeys: [
            { sha256: sha256(KEYS.a), principal: 'a', roles: ['user'] },
            { sha256: sha256(KEYS.b), principal: 'b', roles: ['user'] },
          ],
        },
        policies: [{ effect: 'allow', roles: ['user'], tools: ['fx__echo', 'fx__read_file'] }],
        rateLimits: [{ per: ['principal'], capacity: 3, refillPerSecond: 0.2 }],
      },
    );
  });

  afterAll(async () => {
    await outlet?.close();
  });

  const echo = (key: string, id = 1) => modern(outlet.url, 'tools/call', { name: 'fx__echo', arguments: { text: 'hi' } }, { token: key, id });

  it('answers 429 with Retry-After and a JSON-RPC error once the bucket is empty; denied calls do not drain it', async () => {
    // Calls the policy denies are answered "Unknown tool" and cost nothing.
    for (let i = 0; i < 5; i++) {
      const denied = await modern(outlet.url, 'tools/call', { name: 'fx__admin_reset', arguments: {} }, { token: KEYS.a });
      expect(denied.json?.error).toMatchObject({ message: 'Unknown tool "fx__admin_reset"' });
    }
    for (let i = 0; i < 3; i++) expect((await echo(KEYS.a)).json?.result, `call ${i}`).toBeDefined();
    const limited = await echo(KEYS.a, 42);
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(5);
    expect(limited.json).toMatchObject({ jsonrpc: '2.0', id: 42, error: { code: -32019, data: { outletCode: 'RATE_LIMITED', retryAfterSeconds: retryAfter } } });
    expect(String((limited.json?.error as { message: string }).message)).toContain('principal "a"');
    // Principal b has its own budget.
    expect((await echo(KEYS.b)).status).toBe(200);
  });

  it('reaches an SDK client as an error that says so', async () => {
    const c = await connectWith(`${outlet.url}/mcp`, KEYS.b);
    await c.callTool({ name: 'fx__echo', arguments: { text: '1' } });
    await c.callTool({ name: 'fx__echo', arguments: { text: '2' } });
    await expect(c.callTool({ name: 'fx__echo', arguments: { text: '3' } })).rejects.toThrow(/rate limit|429/i);
    await c.close();
  });
});
