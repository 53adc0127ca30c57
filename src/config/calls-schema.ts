import * as z from 'zod';

const ms = z.int().positive();

/**
 * The `calls` block of a server entry: the limits the upstream interceptor chain puts on each call
 * (src/upstream/interceptors). The idle timeout itself is the entry's `timeoutMs`: progress resets
 * it; `maxMs` is the hard cap nothing resets.
 */
export const callsSchema = z
  .strictObject({
    maxMs: ms.optional().describe('Hard cap on one call, progress or not, in milliseconds. Default: none (only the idle timeout, timeoutMs).'),
    maxConcurrent: z.int().positive().default(64).describe('Calls in flight towards this server at once. Default: 64.'),
    maxQueued: z
      .int()
      .min(0)
      .default(256)
      .describe('Calls waiting for a free slot; one more is answered at once with GATEWAY_BUSY. Default: 256.'),
    breaker: z
      .strictObject({
        failureThreshold: z.int().positive().default(5).describe('Consecutive upstream faults (timeouts, closed connections) that open the breaker. Default: 5.'),
        cooldownMs: ms.default(10_000).describe('How long an open breaker refuses calls before one probe call may pass (half-open). Default: 10000.'),
      })
      .prefault({})
      .describe('Circuit breaker: a failing upstream is answered at once instead of waited on.'),
    tools: z
      .record(
        z.string().min(1),
        z.strictObject({
          timeoutMs: ms.optional().describe('Idle timeout of this tool (reset by progress). Default: the entry\'s timeoutMs.'),
          maxMs: ms.optional().describe('Hard cap of this tool. Default: the block\'s maxMs.'),
        }),
      )
      .default({})
      .describe('Per-tool timeouts, keyed by the upstream\'s own tool name or a glob ("export_*"); the first matching key in file order wins.'),
  })
  .prefault({})
  .describe('Limits on calls to this server: timeouts, concurrency with a bounded queue, circuit breaker.');

export type CallsConfig = z.output<typeof callsSchema>;

/**
 * The `health` block: a ping to the server every `intervalMs` while it is connected; after
 * `failures` pings in a row unanswered within `timeoutMs`, the process is restarted (a server that
 * is alive but stuck answers no call, and only a probe notices before callers do).
 */
export const healthSchema = z
  .strictObject({
    enabled: z.boolean().default(true).describe('Probe the server with ping. Default: true.'),
    intervalMs: ms.default(30_000).describe('Time between probes, in milliseconds. Default: 30000.'),
    timeoutMs: ms.default(10_000).describe('How long a probe may take, in milliseconds. Default: 10000.'),
    failures: z.int().positive().default(3).describe('Failed probes in a row before the server is restarted. Default: 3.'),
  })
  .prefault({})
  .describe('Health probes (ping) of a connected server.');

export type HealthConfig = z.output<typeof healthSchema>;
