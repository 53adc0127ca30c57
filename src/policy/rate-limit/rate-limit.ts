import type { Principal } from '../call-context.js';
import type { RateLimitConfig } from '../../config/auth-schema.js';
import { matchName } from '../glob.js';

export { MemoryRateLimitStore } from './memory-rate-limit-store.js';

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
  /** The store could not decide (unreachable, timed out); the failure policy did. */
  unavailable?: true;
}

/**
 * Where buckets live. The in-memory store serves one process; the Redis store (a Lua script doing
 * the same arithmetic on a hash per key) gives one budget across replicas. `take` must be atomic
 * per key. A store may throw; `createRateLimitStore` puts the failure policy in front of the ones
 * that can.
 */
export interface RateLimitStore {
  take(key: string, spec: BucketSpec, cost: number, now: number): TakeResult | Promise<TakeResult>;
  /** Gives tokens back (a request refused by a later bucket must not have paid the earlier ones). */
  refund?(key: string, spec: BucketSpec, cost: number, now: number): void | Promise<void>;
  close?(): void | Promise<void>;
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
      if (result.unavailable && result.allowed) continue; // store down, policy "allow": this limit does not count
      if (!result.allowed) {
        for (const t of taken) await this.store.refund?.(t.key, t.spec, 1, now);
        const retryAfterSeconds = Math.max(1, Math.ceil(result.retryAfterMs / 1000));
        if (result.unavailable) {
          return { ok: false, retryAfterSeconds, limit: i, message: `rate limits cannot be checked right now (the rate-limit store is unavailable); retry after ${retryAfterSeconds} s` };
        }
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
