import type { Principal } from '../policy/call-context.js';
import type { RateLimitConfig } from './auth-schema.js';
import { matchName } from './glob.js';

/** A token bucket's shape: `capacity` tokens at most, `refillPerSecond` added back per second. */
export interface BucketSpec {
  capacity: number;
  refillPerSecond: number;
}

export interface TakeResult {
  allowed: boolean;
  /** Tokens left after this take (whole or fractional). */
  remaining: number;
  /** When refused: how long until `cost` tokens are there, in milliseconds. */
  retryAfterMs: number;
}

/**
 * Where buckets live. The in-memory store serves one process; a shared store (Redis: a Lua
 * script doing the same arithmetic on a hash per key, with a TTL of capacity / refill) gives
 * one budget across replicas. `take` must be atomic per key.
 */
export interface RateLimitStore {
  take(key: string, spec: BucketSpec, cost: number, now: number): TakeResult | Promise<TakeResult>;
  /** Gives tokens back (a request refused by a later bucket must not have paid the earlier ones). */
  refund?(key: string, spec: BucketSpec, cost: number, now: number): void | Promise<void>;
  close?(): void | Promise<void>;
}

interface Bucket {
  tokens: number;
  at: number;
}

/** Buckets in a Map; a bucket that has refilled to full is the same as no bucket, so idle ones are swept. */
export class MemoryRateLimitStore implements RateLimitStore {
  private readonly buckets = new Map<string, Bucket>();
  private takes = 0;

  constructor(private readonly maxBuckets = 100_000) {}

  get size(): number {
    return this.buckets.size;
  }

  take(key: string, spec: BucketSpec, cost: number, now: number): TakeResult {
    if (++this.takes % 1024 === 0 || this.buckets.size >= this.maxBuckets) this.sweep(now, spec);
    const bucket = this.refilled(key, spec, now);
    if (bucket.tokens >= cost) {
      bucket.tokens -= cost;
      return { allowed: true, remaining: bucket.tokens, retryAfterMs: 0 };
    }
    return { allowed: false, remaining: bucket.tokens, retryAfterMs: Math.ceil(((cost - bucket.tokens) / spec.refillPerSecond) * 1000) };
  }

  refund(key: string, spec: BucketSpec, cost: number, now: number): void {
    const bucket = this.refilled(key, spec, now);
    bucket.tokens = Math.min(spec.capacity, bucket.tokens + cost);
  }

  private refilled(key: string, spec: BucketSpec, now: number): Bucket {
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = { tokens: spec.capacity, at: now };
      this.buckets.set(key, bucket);
      return bucket;
    }
    const elapsed = Math.max(0, now - bucket.at) / 1000;
    bucket.tokens = Math.min(spec.capacity, bucket.tokens + elapsed * spec.refillPerSecond);
    bucket.at = now;
    return bucket;
  }

  /** Drops buckets idle long enough to be full again (a full bucket is recreated on demand). */
  private sweep(now: number, fallback: BucketSpec): void {
    const idleMs = (fallback.capacity / fallback.refillPerSecond) * 1000;
    for (const [key, bucket] of this.buckets) {
      if (now - bucket.at > idleMs) this.buckets.delete(key);
    }
    // Still full of live buckets: drop the oldest (Map order is insertion order) rather than grow without bound.
    for (const key of this.buckets.keys()) {
      if (this.buckets.size < this.maxBuckets) break;
      this.buckets.delete(key);
    }
  }

  close(): void {
    this.buckets.clear();
  }
}

/** What a request is, for rate limiting. */
export interface RateSubject {
  principal: Principal;
  method: string;
  server?: string;
  /** The tool or prompt's published name, or the resource URI. */
  target?: string;
}

export type RateDecision = { ok: true } | { ok: false; retryAfterSeconds: number; limit: number; message: string };

/** Applies the configured limits to requests: each applicable limit's bucket gives one token, or the request is refused. */
export class RateLimiter {
  constructor(
    private readonly limits: readonly RateLimitConfig[],
    private readonly store: RateLimitStore,
    private readonly clock: () => number = Date.now,
  ) {}

  get configured(): boolean {
    return this.limits.length > 0;
  }

  async take(subject: RateSubject): Promise<RateDecision> {
    const now = this.clock();
    const taken: { key: string; spec: BucketSpec }[] = [];
    for (let i = 0; i < this.limits.length; i++) {
      const limit = this.limits[i]!;
      if (!applies(limit, subject)) continue;
      const key = bucketKey(i, limit, subject);
      const spec = { capacity: limit.capacity, refillPerSecond: limit.refillPerSecond };
      const result = await this.store.take(key, spec, 1, now);
      if (!result.allowed) {
        for (const t of taken) await this.store.refund?.(t.key, t.spec, 1, now);
        const retryAfterSeconds = Math.max(1, Math.ceil(result.retryAfterMs / 1000));
        const who = limit.per.map((d) => (d === 'principal' ? `principal "${subject.principal.id}"` : d === 'server' ? `server "${subject.server ?? '?'}"` : `"${subject.target ?? '?'}"`)).join(' and ');
        return {
          ok: false,
          retryAfterSeconds,
          limit: i,
          message: `rate limit reached for ${who} (${limit.capacity} per burst, ${limit.refillPerSecond}/s); retry after ${retryAfterSeconds} s`,
        };
      }
      taken.push({ key, spec });
    }
    return { ok: true };
  }

  async close(): Promise<void> {
    await this.store.close?.();
  }
}

function applies(limit: RateLimitConfig, s: RateSubject): boolean {
  if (!limit.methods.includes('*') && !(limit.methods as readonly string[]).includes(s.method)) return false;
  if (limit.servers && !(s.server !== undefined && matchName(limit.servers, s.server))) return false;
  if (limit.tools && !(s.method === 'tools/call' && s.target !== undefined && matchName(limit.tools, s.target))) return false;
  if (limit.roles && !limit.roles.some((r) => s.principal.roles.includes(r))) return false;
  if (limit.principals && !matchName(limit.principals, s.principal.id)) return false;
  return true;
}

function bucketKey(index: number, limit: RateLimitConfig, s: RateSubject): string {
  const parts = limit.per.map((d) => (d === 'principal' ? `p:${s.principal.id}` : d === 'server' ? `s:${s.server ?? ''}` : `t:${s.target ?? ''}`));
  return `${index}|${parts.join('|')}`;
}
