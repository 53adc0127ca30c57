import { createRequire } from 'node:module';
import type * as Ioredis from 'ioredis';
import type { Redis } from 'ioredis';
import type { RedisStoreConfig } from '../../config/rate-limit-schema.js';
import type { BucketSpec, RateLimitStore, TakeResult } from './rate-limit.js';
import { TOKEN_BUCKET_LUA, TOKEN_BUCKET_SHA } from './token-bucket-script.js';

/**
 * Token buckets in Redis, shared by every gateway that points at the same server and prefix. Each
 * decision is one EVALSHA of {@link TOKEN_BUCKET_LUA} (EVAL once if Redis lost the script).
 *
 * Never a hang, never a double charge: commands are not queued while disconnected (they fail at
 * once and the caller's failure policy decides), a command in flight when the connection drops is
 * not replayed later, and every command is bounded by `timeoutMs`. Only the very first connection
 * is waited for (bounded), so requests arriving while the gateway starts are counted.
 */
/** ioredis costs about 15 MB of memory: loaded only by a gateway that configures a Redis store. */
const loadIoredis = (): typeof Ioredis => createRequire(import.meta.url)('ioredis') as typeof Ioredis;

export class RedisRateLimitStore implements RateLimitStore {
  private readonly redis: Redis;
  /** A connection attempt failed or the connection dropped since the last time it was ready. */
  private broken = false;
  private closed = false;

  constructor(private readonly config: Pick<RedisStoreConfig, 'url' | 'prefix' | 'timeoutMs'>) {
    const { Redis: RedisClient } = loadIoredis();
    this.redis = new RedisClient(config.url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: config.timeoutMs,
      connectTimeout: Math.max(1000, config.timeoutMs * 4),
      // Keep trying in the background; requests meanwhile go to the failure policy.
      retryStrategy: (times) => Math.min(100 * times, 2000),
    });
    // Errors are answered per request by the failure policy (which also logs the outage); an
    // 'error' event without a listener would be printed by ioredis on every reconnect attempt.
    this.redis.on('error', () => (this.broken = true));
    this.redis.on('close', () => (this.broken = true));
    this.redis.on('ready', () => (this.broken = false));
  }

  /** Where the buckets are, for log lines: host and port, never the password. */
  get describe(): string {
    try {
      const url = new URL(this.config.url);
      return `redis ${url.host}`;
    } catch {
      return 'redis';
    }
  }

  take(key: string, spec: BucketSpec, cost: number, now: number): Promise<TakeResult> {
    return this.run(key, spec, cost, now, 'take');
  }

  async refund(key: string, spec: BucketSpec, cost: number, now: number): Promise<void> {
    await this.run(key, spec, cost, now, 'refund');
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // disconnect, not quit: quit waits for an answer a dead server never sends.
    this.redis.disconnect();
  }

  private async run(key: string, spec: BucketSpec, cost: number, now: number, mode: 'take' | 'refund'): Promise<TakeResult> {
    if (this.closed) throw new Error('rate-limit store is closed');
    await this.connected();
    const args = [`${this.config.prefix}${key}`, String(spec.capacity), String(spec.refillPerSecond), String(cost), String(now), mode];
    let reply: unknown;
    try {
      reply = await this.redis.evalsha(TOKEN_BUCKET_SHA, 1, ...args);
    } catch (err) {
      if (!String((err as Error).message).startsWith('NOSCRIPT')) throw err;
      reply = await this.redis.eval(TOKEN_BUCKET_LUA, 1, ...args);
    }
    const [allowed, tokens, retry] = reply as [number, string, number];
    return { allowed: allowed === 1, remaining: Number(tokens), retryAfterMs: Number(retry) };
  }

  /** Resolves when commands can be sent: at once when ready, fails at once during a known outage. */
  private connected(): Promise<void> {
    if (this.redis.status === 'ready') return Promise.resolve();
    if (this.broken || this.redis.status === 'end') return Promise.reject(new Error(`not connected to ${this.describe} (${this.redis.status})`));
    return new Promise<void>((resolve, reject) => {
      const settle = (err?: Error) => {
        clearTimeout(timer);
        this.redis.off('ready', onReady);
        this.redis.off('error', onError);
        if (err) reject(err);
        else resolve();
      };
      const onReady = () => settle();
      const onError = (err: Error) => settle(err);
      const timer = setTimeout(() => settle(new Error(`no connection to ${this.describe} within ${this.config.timeoutMs} ms`)), this.config.timeoutMs);
      this.redis.once('ready', onReady);
      this.redis.once('error', onError);
    });
  }
}
