// The subscribers' own cost per request, without I/O: an inbound and an upstream channel event
// pair (what call-gate.ts and router.ts publish around each call) with a fake context, with
// nothing subscribed ("off") and with each observability configuration below. Charged in CPU time
// of this process (user + system, GC threads included), best of `repeats` runs.
//
//   node --import tsx bench/observability/micro.ts [<module root>] [iterations] [repeats]
//
// Prints one JSON object: microseconds per request by configuration.
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as ChannelsModule from '../../src/observability/channels.js';
import type * as ObservabilityModule from '../../src/observability/index.js';
import type * as LoggerModule from '../../src/observability/logger.js';
import type { CallContext } from '../../src/policy/call-context.js';
import type * as ConsoleModule from '../../src/supervisor/console-buffer.js';
import type { UpstreamCall } from '../../src/upstream/interceptors/types.js';

/** Configurations measured, each against nothing subscribed. */
export const MICRO_CONFIGS: Record<string, ObservabilityModule.ObservabilityInput> = {
  full: { metrics: { process: false } },
  'full, no payloads': { metrics: { process: false }, tracing: { payloads: { capture: false } } },
  'tracing only': { metrics: { enabled: false }, logs: { toolCalls: false } },
  'metrics only': { tracing: { enabled: false }, logs: { toolCalls: false }, metrics: { process: false } },
  'log line only': { tracing: { enabled: false }, metrics: { enabled: false } },
};

export async function micro(root: string, iterations: number, repeats: number): Promise<Record<string, number>> {
  const load = <T>(path: string): Promise<T> => import(pathToFileURL(join(resolve(root), path)).href) as Promise<T>;
  const { inboundRequestChannel, upstreamRequestChannel } = await load<typeof ChannelsModule>('observability/channels.js');
  const { installObservability, recordPolicyDecision } = await load<typeof ObservabilityModule>('observability/index.js');
  const { ConsoleBuffer } = await load<typeof ConsoleModule>('supervisor/console-buffer.js');
  const { createLogger } = await load<typeof LoggerModule>('observability/logger.js');

  const config = { name: 'echo', transport: 'stdio', command: 'node', args: ['echo.js'], env: { K: 'v' } };
  // One console per server, as a ManagedUpstream has (a new one per call would leak a tap per call).
  const server = { console: new ConsoleBuffer(), config };
  const gatewayLike: ObservabilityModule.GatewayLike = { supervisor: { get: () => server, status: () => [] } };
  const text = 'the quick brown fox jumps over the lazy dog';
  const headers = new Headers({ host: '127.0.0.1:8080', 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-session-id': 'session-1', 'mcp-protocol-version': '2025-11-25' });
  const PASSED = { policy: 'chain', decision: 'allow' };
  const result = { content: [{ type: 'text', text }] };
  const run = async (): Promise<number> => {
    const before = process.cpuUsage();
    for (let i = 0; i < iterations; i++) {
      // What gateway-server.ts builds for a tool call over streamable HTTP (headers: the SDK's Web Headers).
      const ctx = {
        method: 'tools/call',
        params: { name: 'echo__echo', arguments: { text } },
        scope: { kind: 'aggregate' },
        toolName: 'echo__echo',
        session: { era: 'legacy', transport: 'streamable-http', id: 'session-1' },
        signal: undefined,
        headers,
        rpcId: i,
        state: new Map(),
      } as unknown as CallContext;
      const call = { server: 'echo', connection: { config, protocolVersion: '2025-11-25' }, method: 'tools/call', params: { name: 'echo', arguments: { text } }, options: {} } as unknown as UpstreamCall;
      const upstream = () => {
        recordPolicyDecision(ctx, PASSED); // the policy chain's own, at its end (src/policy/chain.ts)
        return upstreamRequestChannel.hasSubscribers ? upstreamRequestChannel.tracePromise(async () => result, { ctx, call }) : Promise.resolve(result);
      };
      await (inboundRequestChannel.hasSubscribers ? inboundRequestChannel.tracePromise(upstream, { ctx }) : upstream());
      // The event loop turns between requests in a gateway; without this the log destination
      // would never get to write (its buffer only grows) and its write cost would go uncounted.
      if (i % 16 === 15) await new Promise<void>((resume) => setImmediate(resume));
    }
    const used = process.cpuUsage(before);
    return (used.user + used.system) / iterations;
  };
  const best = async () => {
    let min = Infinity;
    for (let r = 0; r < repeats; r++) min = Math.min(min, await run());
    return min;
  };
  await run(); // warm-up
  const out: Record<string, number> = { off: await best() };
  for (const [name, cfg] of Object.entries(MICRO_CONFIGS)) {
    const handle = installObservability({ logger: createLogger('info', '/dev/null'), gatewayLike, config: cfg });
    await run(); // warm-up, and fills the trace store to its steady size
    out[name] = await best();
    await handle.close();
  }
  return out;
}

if (process.argv[1]?.endsWith('micro.ts')) {
  const [root = 'src', iterations = '20000', repeats = '5'] = process.argv.slice(2);
  console.log(JSON.stringify(await micro(root, Number(iterations), Number(repeats))));
}
