import type { BucketSpec, RateLimitStore, TakeResult } from './rate-limit.js';

interface Bucket {
  tokens: number;
  at: number;
}

/** Buckets in a Map (one process, one budget); a bucket that has refilled to full is the same as no bucket, so idle ones are swept. */
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

