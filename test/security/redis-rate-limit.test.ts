import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseSecuritySections } from '../../src/config/auth-schema.js';
import { RateLimiter, type RateLimitStore, type RateSubject } from '../../src/policy/rate-limit/rate-limit.js';
import { createRateLimitStore } from '../../src/policy/rate-limit/rate-limit-store.js';
import { RedisRateLimitStore } from '../../src/policy/rate-limit/redis-rate-limit-store.js';
import { createPolicyLayer, type PolicyLayer } from '../../src/policy/policy-layer.js';
import { isOutletError, type OutletError } from '../../src/errors/index.js';
import type { CallContext } from '../../src/policy/call-context.js';
import { buildPolicyChain } from '../../src/policy/chain.js';
import { compose } from '../../src/policy/compose.js';
import { FIXTURE, startSecureOutlet } from './harness.js';
import { modern } from './http.js';
import { sha256 } from './keys.js';
import { badRedis, capturingLogger, closedPort, cuttableRedis, deleteUnder, inspector, keysUnder, REDIS_URL, uniquePrefix } from './redis-helpers.js';

// Rate limits shared through the real Redis on 127.0.0.1:6379: each test writes under its own
// key prefix and deletes it afterwards.

/** Generous upper bound for "did not hang" (the store's own bound is timeoutMs, 250 ms by default). */
const NO_HANG_MS = 5000;

let redis: Redis;
const prefixes: string[] = [];
const closers: (() => Promise<void>)[] = [];

beforeAll(() => {
  redis = inspector();
});

afterEach(async () => {
  while (closers.length > 0) await closers.pop()!();
  while (prefixes.length > 0) await deleteUnder(redis, prefixes.pop()!);
});

afterAll(() => {
  redis.disconnect();
});

function prefix(): string {
  const p = uniquePrefix();
  prefixes.push(p);
  return p;
}

function store(settings: { url?: string; prefix: string; onStoreError?: 'allow' | 'deny'; timeoutMs?: number }, logger = capturingLogger().logger): RateLimitStore {
  const s = createRateLimitStore(
    { store: { kind: 'redis', url: settings.url ?? REDIS_URL, prefix: settings.prefix, timeoutMs: settings.timeoutMs ?? 250 }, onStoreError: settings.onStoreError ?? 'allow' },
    logger,
  );
  closers.push(async () => void (await s.close?.()));
  return s;
}

const limits = (spec: unknown[]) => parseSecuritySections({ rateLimits: spec }).rateLimits!;
const call = (id: string, target = 'fx__echo'): RateSubject => ({ principal: { id, roles: [] }, method: 'tools/call', server: 'fx', target });

/** A tools/call as the chain sees it from a stdio client (anonymous principal when auth is off). */
const stdioCall = (): CallContext => ({
  method: 'tools/call',
  params: { name: 'x', arguments: {} },
  toolName: 'x',
  scope: { kind: 'aggregate' },
  session: { era: 'legacy', transport: 'stdio' },
  signal: new AbortController().signal,
  state: new Map(),
});

/** Settles within NO_HANG_MS or fails the test. */
async function bounded<T>(work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`still waiting after ${NO_HANG_MS} ms`)), NO_HANG_MS)));
  try {
    return await Promise.race([work, limit]);
  } finally {
    clearTimeout(timer);
  }
}

describe('the rateLimits section', () => {
  it('takes the object spelling with a store, and keeps the array for the limiter', () => {
    const parsed = parseSecuritySections({ rateLimits: { store: { kind: 'redis', url: REDIS_URL }, limits: [{ capacity: 2, refillPerSecond: 1 }] } });
    expect(parsed.rateLimits).toEqual([{ per: ['principal'], capacity: 2, refillPerSecond: 1, methods: ['tools/call', 'prompts/get', 'resources/read'] }]);
    expect(parsed.rateLimitStore).toEqual({ store: { kind: 'redis', url: REDIS_URL, prefix: 'outlet:rl:', timeoutMs: 250 }, onStoreError: 'allow' });
    expect(parseSecuritySections({ rateLimits: [{ capacity: 1, refillPerSecond: 1 }] }).rateLimitStore).toBeUndefined();
    expect(() => parseSecuritySections({ rateLimits: { store: { kind: 'redis', url: 'http://127.0.0.1:6379' }, limits: [] } })).toThrow(/redis:\/\//);
    expect(() => parseSecuritySections({ rateLimits: { store: { kind: 'redis', url: REDIS_URL }, onStoreError: 'maybe', limits: [] } })).toThrow();
  });
});

describe('a Redis store', () => {
  it('gives two gateways on the same Redis one budget', async () => {
    const p = prefix();
    const now = () => 1_000_000;
    const spec = limits([{ per: ['principal'], capacity: 3, refillPerSecond: 0.001 }]);
    const one = new RateLimiter(spec, store({ prefix: p }), now);
    const two = new RateLimiter(spec, store({ prefix: p }), now);
    expect((await one.take(call('alice'))).ok).toBe(true);
    expect((await two.take(call('alice'))).ok).toBe(true);
    expect((await one.take(call('alice'))).ok).toBe(true);
    // Three spent between the two: both refuse now.
    expect((await two.take(call('alice'))).ok).toBe(false);
    expect((await one.take(call('alice'))).ok).toBe(false);
    // Another principal has a budget of its own.
    expect((await two.take(call('bob'))).ok).toBe(true);
    expect(await keysUnder(redis, p)).toEqual([`${p}0|p:alice`, `${p}0|p:bob`]);
  });

  it('does the same for two Security instances, the way the gateway uses it (the chain answers RATE_LIMITED)', async () => {
    const p = prefix();
    const sections = parseSecuritySections({
      rateLimits: { store: { kind: 'redis', url: REDIS_URL, prefix: p }, limits: [{ per: ['principal'], capacity: 2, refillPerSecond: 0.001 }] },
    });
    const securities: PolicyLayer[] = [0, 1].map(() => createPolicyLayer({ namespace: { separator: '__' }, servers: {}, ...sections }));
    closers.push(async () => void (await Promise.all(securities.map((s) => s.close()))));
    const handles = securities.map((s) => compose(buildPolicyChain(s), () => Promise.resolve({ content: [] })));
    await handles[0]!(stdioCall());
    await handles[1]!(stdioCall());
    for (const handle of handles) {
      const err = await handle(stdioCall()).catch((e: unknown) => e);
      expect(isOutletError(err) && (err as OutletError).code).toBe('RATE_LIMITED');
      expect((err as OutletError).message).toMatch(/^rate limit reached for principal "anonymous"/);
    }
  });

  it('gives two whole gateways (config file to HTTP) one budget: the fourth call is a 429 on either', async () => {
    const p = prefix();
    const key = 'redis-shared-key-1234567890';
    const sections = {
      auth: { apiKeys: [{ sha256: sha256(key), principal: 'shared', roles: ['user'] }] },
      policies: [{ effect: 'allow', roles: ['user'], tools: ['fx__echo'] }],
      rateLimits: { store: { kind: 'redis', url: REDIS_URL, prefix: p }, onStoreError: 'deny', limits: [{ per: ['principal'], capacity: 3, refillPerSecond: 0.2 }] },
    };
    const servers = { servers: { fx: { command: process.execPath, args: [FIXTURE] } } };
    const outlets = await Promise.all([startSecureOutlet(servers, sections), startSecureOutlet(servers, sections)]);
    closers.push(async () => void (await Promise.all(outlets.map((o) => o.close()))));
    const echo = (i: number) => modern(outlets[i]!.url, 'tools/call', { name: 'fx__echo', arguments: { text: 'hi' } }, { token: key, id: 7 });
    expect((await echo(0)).status).toBe(200);
    expect((await echo(1)).status).toBe(200);
    expect((await echo(0)).status).toBe(200);
    for (const i of [1, 0]) {
      const limited = await echo(i);
      expect(limited.status).toBe(429);
      const retryAfter = Number(limited.headers.get('retry-after'));
      // One token back every 5 s: at most 5 s to wait, at least 1.
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(5);
      expect(limited.json?.error).toMatchObject({ code: -32019, data: { outletCode: 'RATE_LIMITED', retryAfterSeconds: retryAfter } });
    }
    expect(await keysUnder(redis, p)).toEqual([`${p}0|p:shared`]);
  });

  it('computes the retry time from the refill rate, and refills with time', async () => {
    const p = prefix();
    let now = 5_000_000;
    const s = store({ prefix: p });
    const limiter = new RateLimiter(limits([{ per: ['principal'], capacity: 2, refillPerSecond: 0.5 }]), s, () => now);
    expect((await limiter.take(call('a'))).ok).toBe(true);
    expect((await limiter.take(call('a'))).ok).toBe(true);
    // Empty; one token comes back every 2 s.
    expect(await limiter.take(call('a'))).toMatchObject({ ok: false, retryAfterSeconds: 2, limit: 0 });
    expect(await s.take('0|p:a', { capacity: 2, refillPerSecond: 0.5 }, 1, now)).toEqual({ allowed: false, remaining: 0, retryAfterMs: 2000 });
    now += 1500; // 0.75 of a token back: 0.25 missing, 500 ms
    expect(await s.take('0|p:a', { capacity: 2, refillPerSecond: 0.5 }, 1, now)).toEqual({ allowed: false, remaining: 0.75, retryAfterMs: 500 });
    expect(await limiter.take(call('a'))).toMatchObject({ ok: false, retryAfterSeconds: 1 });
    now += 500;
    expect(await limiter.take(call('a'))).toEqual({ ok: true });
    // The key lives until the bucket would be full again (then it is the same as no key).
    const ttl = await redis.pttl(`${p}0|p:a`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(4000 + 1000);
  });

  it('gives back what an earlier bucket took when a later one refuses', async () => {
    const p = prefix();
    const limiter = new RateLimiter(
      limits([
        { per: ['principal'], capacity: 3, refillPerSecond: 0.001 },
        { per: ['tool'], tools: ['fx__slow'], capacity: 1, refillPerSecond: 0.001 },
      ]),
      store({ prefix: p }),
      () => 7_000_000,
    );
    expect((await limiter.take(call('a', 'fx__slow'))).ok).toBe(true);
    expect((await limiter.take(call('a', 'fx__slow'))).ok).toBe(false);
    expect((await limiter.take(call('a', 'fx__slow'))).ok).toBe(false);
    // Refused calls cost the principal nothing: two of its three tokens are left.
    expect((await limiter.take(call('a', 'fx__fast'))).ok).toBe(true);
    expect((await limiter.take(call('a', 'fx__fast'))).ok).toBe(true);
    expect((await limiter.take(call('a', 'fx__fast'))).ok).toBe(false);
  });

  it('keeps gateways with different prefixes apart', async () => {
    const [p1, p2] = [prefix(), prefix()];
    const spec = limits([{ per: ['principal'], capacity: 1, refillPerSecond: 0.001 }]);
    const one = new RateLimiter(spec, store({ prefix: p1 }), () => 1);
    const two = new RateLimiter(spec, store({ prefix: p2 }), () => 1);
    expect((await one.take(call('a'))).ok).toBe(true);
    expect((await one.take(call('a'))).ok).toBe(false);
    expect((await two.take(call('a'))).ok).toBe(true);
    expect(await keysUnder(redis, p1)).toEqual([`${p1}0|p:a`]);
    expect(await keysUnder(redis, p2)).toEqual([`${p2}0|p:a`]);
  });

  it('takes over from the memory store on a config reload that names it', async () => {
    const p = prefix();
    const base = { namespace: { separator: '__' }, servers: {} };
    const security = createPolicyLayer({ ...base, ...parseSecuritySections({ rateLimits: [{ capacity: 5, refillPerSecond: 0.001 }] }) });
    closers.push(() => security.close());
    const handle = compose(buildPolicyChain(security), () => Promise.resolve({ content: [] }));
    await handle(stdioCall());
    expect(await keysUnder(redis, p)).toEqual([]);
    security.reload({ ...base, ...parseSecuritySections({ rateLimits: { store: { kind: 'redis', url: REDIS_URL, prefix: p }, limits: [{ capacity: 5, refillPerSecond: 0.001 }] } }) });
    await handle(stdioCall());
    expect(await keysUnder(redis, p)).toEqual([`${p}0|p:anonymous`]);
    expect(await redis.hget(`${p}0|p:anonymous`, 'tokens')).toBe('4');
  });

  it('loads its script again when Redis has lost it', async () => {
    const p = prefix();
    const s = new RedisRateLimitStore({ url: REDIS_URL, prefix: p, timeoutMs: 1000 });
    closers.push(() => s.close());
    await redis.script('FLUSH');
    expect(await s.take('k', { capacity: 1, refillPerSecond: 1 }, 1, 1)).toEqual({ allowed: true, remaining: 0, retryAfterMs: 0 });
  });
});

describe('when Redis cannot answer', () => {
  const spec = () => limits([{ per: ['principal'], capacity: 1, refillPerSecond: 0.001 }]);

  it('lets requests through with onStoreError "allow", at once, and logs the outage once', async () => {
    const { logger, lines } = capturingLogger();
    const limiter = new RateLimiter(spec(), store({ url: `redis://127.0.0.1:${await closedPort()}`, prefix: prefix(), onStoreError: 'allow' }, logger));
    for (let i = 0; i < 5; i++) expect(await bounded(limiter.take(call('a')))).toEqual({ ok: true });
    const outage = lines.filter((l) => l.msg.includes('is unavailable'));
    expect(outage).toHaveLength(1);
    expect(outage[0]!.level).toBe(50);
    expect(outage[0]!.msg).toContain('requests pass WITHOUT rate limiting');
  });

  it('refuses them with onStoreError "deny", with a message that says why', async () => {
    const { logger, lines } = capturingLogger();
    const limiter = new RateLimiter(spec(), store({ url: `redis://127.0.0.1:${await closedPort()}`, prefix: prefix(), onStoreError: 'deny' }, logger));
    for (let i = 0; i < 3; i++) {
      const refused = await bounded(limiter.take(call('a')));
      expect(refused).toMatchObject({ ok: false, retryAfterSeconds: 1 });
      expect(refused.ok === false && refused.message).toMatch(/rate-limit store is unavailable/);
    }
    expect(lines.filter((l) => l.msg.includes('is unavailable'))).toHaveLength(1);
    expect(lines[0]!.msg).toContain('REFUSED');
  });

  it('does not wait for a server that accepts connections and never answers', async () => {
    const silent = await badRedis('silent');
    closers.push(silent.close);
    const limiter = new RateLimiter(spec(), store({ url: silent.url, prefix: prefix(), onStoreError: 'deny', timeoutMs: 200 }));
    expect(await bounded(limiter.take(call('a')))).toMatchObject({ ok: false, retryAfterSeconds: 1 });
    expect(await bounded(limiter.take(call('a')))).toMatchObject({ ok: false });
  });

  it('does not wait for a connected server that stops answering mid-command', async () => {
    const stalled = await badRedis('stalls-on-scripts');
    closers.push(stalled.close);
    const { logger, lines } = capturingLogger();
    const limiter = new RateLimiter(spec(), store({ url: stalled.url, prefix: prefix(), onStoreError: 'allow', timeoutMs: 200 }, logger));
    expect(await bounded(limiter.take(call('a')))).toEqual({ ok: true });
    expect(lines.find((l) => l.msg.includes('is unavailable'))).toBeDefined();
  });

  it('logs the end of an outage, and counts again once Redis is back', async () => {
    const proxy = await cuttableRedis();
    closers.push(proxy.close);
    const { logger, lines } = capturingLogger();
    const limiter = new RateLimiter(limits([{ per: ['principal'], capacity: 2, refillPerSecond: 0.001 }]), store({ url: proxy.url, prefix: prefix(), onStoreError: 'allow' }, logger), () => 9_000_000);
    expect((await limiter.take(call('a'))).ok).toBe(true); // 1 of 2 spent, in Redis
    await proxy.cut();
    for (let i = 0; i < 3; i++) expect(await bounded(limiter.take(call('a')))).toEqual({ ok: true });
    await proxy.restore();
    // The client reconnects in the background; poll until a take counts again (the bucket is in Redis, so 1 token is left).
    await bounded(
      (async () => {
        while (!lines.some((l) => l.msg.includes('is back'))) {
          await limiter.take(call('warmup'));
          await new Promise((r) => setTimeout(r, 50));
        }
      })(),
    );
    expect((await limiter.take(call('a'))).ok).toBe(true);
    expect((await limiter.take(call('a'))).ok).toBe(false);
    expect(lines.filter((l) => l.msg.includes('is unavailable'))).toHaveLength(1);
    expect(lines.filter((l) => l.msg.includes('is back'))).toHaveLength(1);
  });
});
