import { createHash } from 'node:crypto';

/**
 * The token bucket of {@link MemoryRateLimitStore}, as one Redis script so that a decision is a
 * single atomic round trip however many gateways share the bucket. The bucket is a hash
 * { tokens, at } under KEYS[1].
 *
 * ARGV: capacity, refill per second, cost, now (ms since the epoch, the caller's clock), and
 * "take" or "refund". Returns { allowed (1|0), tokens left (as text), retry after (ms) }.
 *
 * Why these details:
 * - Numbers travel as text: Redis turns a Lua number reply into an integer, and fractional
 *   tokens matter for slow refill rates.
 * - The clock is the caller's, not Redis TIME, so tests can drive it; replicas whose clocks
 *   disagree never move `at` backwards (a lagging replica just sees no refill yet), so skew can
 *   delay refill by the skew, never mint tokens.
 * - The key expires once the bucket would be full again: a full bucket and a missing one are the
 *   same thing, so idle principals cost no memory. The TTL is capped where Lua would start
 *   printing it in exponent notation, which PEXPIRE refuses.
 */
export const TOKEN_BUCKET_LUA = `
local capacity = tonumber(ARGV[1])
local perMs = tonumber(ARGV[2]) / 1000
local cost = tonumber(ARGV[3])
local now = tonumber(ARGV[4])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1])
local at = tonumber(state[2])
if tokens == nil or at == nil then
  tokens = capacity
  at = now
end
if now > at then
  tokens = math.min(capacity, tokens + (now - at) * perMs)
  at = now
end
local allowed = 1
local retry = 0
if ARGV[5] == 'refund' then
  tokens = math.min(capacity, tokens + cost)
elseif tokens >= cost then
  tokens = tokens - cost
else
  allowed = 0
  retry = math.ceil((cost - tokens) / perMs)
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(at))
redis.call('PEXPIRE', KEYS[1], math.min(math.ceil((capacity - tokens) / perMs) + 1000, 1e13))
return { allowed, tostring(tokens), retry }
`;

/** What EVALSHA names the script by. */
export const TOKEN_BUCKET_SHA = createHash('sha1').update(TOKEN_BUCKET_LUA).digest('hex');
