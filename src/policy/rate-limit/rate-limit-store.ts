import type { Logger } from '../../observability/logger.js';
import { MemoryRateLimitStore } from './memory-rate-limit-store.js';
import type { RateLimitStoreSettings } from '../../config/rate-limit-schema.js';
import type { BucketSpec, RateLimitStore, TakeResult } from './rate-limit.js';
import { RedisRateLimitStore } from './redis-rate-limit-store.js';

/** How long a request refused because the store is down is told to wait. */
const UNAVAILABLE_RETRY_MS = 1000;

/**
 * A store with the failure policy in front: when the inner store throws (unreachable, timed out),
 * the request is let through ("allow") or refused ("deny") instead of failing, and the outage is
 * logged once when it starts and once when it ends, not once per request.
 */
export class GuardedRateLimitStore implements RateLimitStore {
  private down = false;

  constructor(
    private readonly inner: RateLimitStore,
    private readonly onStoreError: 'allow' | 'deny',
    private readonly describe: string,
    private readonly logger?: Logger,
  ) {}

  /** True between a failure and the next answer from the store. */
  get outage(): boolean {
    return this.down;
  }

  async take(key: string, spec: BucketSpec, cost: number, now: number): Promise<TakeResult> {
    try {
      const result = await this.inner.take(key, spec, cost, now);
      this.recovered();
      return result;
    } catch (err) {
      this.failed(err);
      return this.onStoreError === 'allow'
        ? { allowed: true, remaining: 0, retryAfterMs: 0, unavailable: true }
        : { allowed: false, remaining: 0, retryAfterMs: UNAVAILABLE_RETRY_MS, unavailable: true };
    }
  }

  async refund(key: string, spec: BucketSpec, cost: number, now: number): Promise<void> {
    try {
      await this.inner.refund?.(key, spec, cost, now);
      this.recovered();
    } catch (err) {
      // A lost refund costs the caller one token at most; the take decided already.
      this.failed(err);
    }
  }

  async close(): Promise<void> {
    await this.inner.close?.();
  }

  private failed(err: unknown): void {
    if (this.down) return;
    this.down = true;
    const effect = this.onStoreError === 'allow' ? 'requests pass WITHOUT rate limiting' : 'rate-limited requests are REFUSED (429)';
    this.logger?.error(
      { store: this.describe, err: err instanceof Error ? err.message : String(err), onStoreError: this.onStoreError },
      `rate-limit store ${this.describe} is unavailable: ${effect} while it is down (rateLimits.onStoreError is "${this.onStoreError}")`,
    );
  }

  private recovered(): void {
    if (!this.down) return;
    this.down = false;
    this.logger?.warn({ store: this.describe }, `rate-limit store ${this.describe} is back: rate limits apply again`);
  }
}

/** The store a config asks for, behind its failure policy (default: in memory, which cannot fail). */
export function createRateLimitStore(settings: RateLimitStoreSettings | undefined, logger?: Logger): RateLimitStore {
  if (!settings || settings.store.kind === 'memory') return new MemoryRateLimitStore();
  const redis = new RedisRateLimitStore(settings.store);
  return new GuardedRateLimitStore(redis, settings.onStoreError, redis.describe, logger);
}
