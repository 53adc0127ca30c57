import * as z from 'zod';

/**
 * Input schemas of the instance modes (`servers.<name>.instances`) and of the gateway-wide process
 * cap (`limits`). One strict object for every mode rather than a union by `mode`: a union's errors
 * hide which key is wrong; which keys fit which mode is checked in `normalize-instances.ts`, whose
 * message names the key and the mode.
 */

/** The gateway-wide cap when the config does not set one. */
export const DEFAULT_MAX_PROCESSES = 64;

const count = z.int().positive();
const millis = z.int().positive();

export const instancesSchema = z
  .strictObject({
    mode: z
      .enum(['shared', 'per-session', 'per-request', 'pool'])
      .optional()
      .describe(
        '"shared": one process for every client (default). "per-session": one process per client session. "per-request": a fresh process for every request, taken from warm spares. "pool": a fixed number of processes, each call to the least busy.',
      ),
    size: count.optional().describe('pool: how many processes. Default: 2.'),
    spares: z.int().min(0).optional().describe('per-request and per-session: processes kept started and connected ahead of need, so a request or new session does not wait for a cold start. Default: 2 (per-request), 1 (per-session).'),
    max: count.optional().describe('per-session: most sessions with a process of their own at once; further sessions get GATEWAY_BUSY. Default: 32.'),
    idleTimeoutMs: millis.optional().describe('per-session: a session\'s process is stopped after this long without a call, in milliseconds (its next call gets a fresh one). Default: 300000.'),
    acquireTimeoutMs: millis
      .optional()
      .describe('per-request and per-session: how long a call waits for a fresh process (spares used up, or the process cap reached) before it fails with GATEWAY_BUSY, in milliseconds. Default: 30000.'),
    warmup: z
      .array(
        z.strictObject({
          method: z.string().min(1).describe('A request method, e.g. "tools/call".'),
          params: z.record(z.string(), z.unknown()).optional().describe('Its params.'),
        }),
      )
      .optional()
      .describe(
        'per-request and per-session: requests sent to each fresh process before it joins the warm spares, so the first real call does not pay the server\'s own first-call cost (lazy compilation, caches). Answers and errors are ignored. Pick requests without lasting effects: the process is thrown away after one request, but what a tool does outside it is not. Default: none.',
      ),
  })
  .describe('stdio servers: how many processes of the server run and who uses which. Default: { "mode": "shared" }.');

export type InstancesInput = z.output<typeof instancesSchema>;

export const limitsSchema = z
  .strictObject({
    maxProcesses: count
      .default(DEFAULT_MAX_PROCESSES)
      .describe(`Most server processes the gateway runs at once, over every stdio server and instance (listers and spares included). A start beyond it waits for room, then fails with GATEWAY_BUSY. Default: ${DEFAULT_MAX_PROCESSES}.`),
  })
  .describe('Gateway-wide resource limits.');
