import * as z from 'zod';

/**
 * The `rateLimits` section. Two spellings: a bare array of limits (buckets in this process), or an
 * object that also says where the buckets live and what to do when that place cannot answer:
 *
 *   "rateLimits": {
 *     "store": { "kind": "redis", "url": "redis://127.0.0.1:6379", "prefix": "outlet:rl:" },
 *     "onStoreError": "allow",
 *     "limits": [{ "per": ["principal"], "capacity": 60, "refillPerSecond": 1 }] }
 *
 * The normalized config keeps `rateLimits` as the array (what the limiter and every other reader
 * already consume) and carries the store settings apart, in `rateLimitStore`.
 */

const names = z.array(z.string().min(1));

export const rateLimitSchema = z
  .strictObject({
    per: z
      .array(z.enum(['principal', 'server', 'tool']))
      .min(1)
      .default(['principal'])
      .describe('What gets its own bucket: ["principal"] (default), ["server"], ["tool"], or a combination such as ["principal", "tool"].'),
    capacity: z.number().positive().describe('Bucket size: how many calls may come in one burst.'),
    refillPerSecond: z.number().positive().describe('Tokens added back per second (sustained rate).'),
    methods: z
      .array(z.enum(['tools/call', 'prompts/get', 'resources/read', '*']))
      .default(['tools/call', 'prompts/get', 'resources/read'])
      .describe('Which requests draw a token. "*" is every routed request, lists included. Default: calls, prompts/get, resources/read.'),
    servers: names.describe('Only requests to these servers count.').optional(),
    tools: names.describe('Only calls to these (published) tools count.').optional(),
    roles: names.optional().describe('Only principals with one of these roles count.'),
    principals: names.describe('Only these principals count.').optional(),
  })
  .describe('One token-bucket limit.');

const memoryStoreSchema = z.strictObject({ kind: z.literal('memory') }).describe('Buckets in this process (default): each gateway replica has its own budget.');

const redisStoreSchema = z
  .strictObject({
    kind: z.literal('redis'),
    url: z
      .string()
      .regex(/^rediss?:\/\/[^\s]+$/, { error: 'expected a redis:// or rediss:// URL' })
      .describe('The Redis server, e.g. "redis://127.0.0.1:6379" (rediss:// for TLS; a password goes in the URL, preferably via ${VAR}).'),
    prefix: z.string().min(1).default('outlet:rl:').describe('Prefix of every bucket key, so several gateways (or other apps) can share one Redis. Default: "outlet:rl:".'),
    timeoutMs: z
      .int()
      .positive()
      .max(10_000)
      .default(250)
      .describe('Longest a request waits for Redis before onStoreError decides, in milliseconds. Default: 250.'),
  })
  .describe('Buckets in Redis: every replica pointing at the same Redis and prefix shares one budget.');

export const rateLimitStoreSchema = z.discriminatedUnion('kind', [memoryStoreSchema, redisStoreSchema]);

const rateLimitSettingsSchema = z
  .strictObject({
    store: rateLimitStoreSchema.default({ kind: 'memory' }).describe('Where buckets live. Default: { "kind": "memory" }.'),
    onStoreError: z
      .enum(['allow', 'deny'])
      .default('allow')
      .describe('When the store cannot answer in time: "allow" the request without rate limiting (default) or "deny" it (429). Logged once per outage.'),
    limits: z.array(rateLimitSchema).default([]).describe('The token-bucket limits.'),
  })
  .describe('Rate limits with their store.');

export const rateLimitsSchema = z
  .union([z.array(rateLimitSchema), rateLimitSettingsSchema])
  .describe('Token-bucket rate limits (a request draws one token from every limit that applies to it): an array of limits, or { store, onStoreError, limits }.');

export type RateLimitConfig = z.output<typeof rateLimitSchema>;
export type RateLimitStoreConfig = z.output<typeof rateLimitStoreSchema>;
export type RedisStoreConfig = Extract<RateLimitStoreConfig, { kind: 'redis' }>;
export type RateLimitsInput = z.output<typeof rateLimitsSchema>;

/** Where buckets live and what happens when that place fails, as the normalized config carries it. */
export interface RateLimitStoreSettings {
  store: RateLimitStoreConfig;
  onStoreError: 'allow' | 'deny';
}

export const DEFAULT_RATE_LIMIT_STORE: RateLimitStoreSettings = { store: { kind: 'memory' }, onStoreError: 'allow' };

/** The two spellings of the section as the limits and (for the object spelling) the store settings. */
export function splitRateLimits(input: RateLimitsInput): { limits: RateLimitConfig[]; settings?: RateLimitStoreSettings } {
  if (Array.isArray(input)) return { limits: input };
  return { limits: input.limits, settings: { store: input.store, onStoreError: input.onStoreError } };
}
