// One outlet for the observability benchmark, in its own process, with the echo server behind it.
// Observability is switched on and off while it runs, by lines on stdin, so the two states are
// measured in the same process, interleaved (no difference of heap layout, JIT state or machine
// load between two processes can pass for overhead):
//
//   node --expose-gc --import tsx bench/observability/serve.ts <module root>
//
// <module root>: the outlet's compiled build (bench/results/.outlet-build) or src/ (through tsx).
// Prints {"url": ...} when ready. Each stdin line is a mode, answered with {"mode": ...} once
// applied: "off" (nothing subscribed to the channels; "off-too" is the same, for an A/A check of a
// method), "noop" (empty subscribers: the channels'
// own cost), "full" (tracing with the in-process store, metrics, tool-call log lines), "tracing",
// "metrics", "logs", or an observability config as JSON. "exit" stops.
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { pino } from 'pino';
import type * as ConfigModule from '../../src/config/index.js';
import type * as RuntimeModule from '../../src/outlet/runtime.js';
import type * as ChannelsModule from '../../src/observability/channels.js';
import type * as ObservabilityModule from '../../src/observability/index.js';
import type * as LoggerModule from '../../src/observability/logger.js';

const [root = 'src'] = process.argv.slice(2);
const load = <T>(path: string): Promise<T> => import(pathToFileURL(join(resolve(root), path)).href) as Promise<T>;
const { parseConfig } = await load<typeof ConfigModule>('config/index.js');
const { startOutlet } = await load<typeof RuntimeModule>('gateway/runtime.js');
const { inboundRequestChannel, upstreamRequestChannel } = await load<typeof ChannelsModule>('observability/channels.js');
const { createLogger } = await load<typeof LoggerModule>('observability/logger.js');

const ECHO_SERVER = new URL('../fixtures/echo-server.mjs', import.meta.url).pathname;
const config = parseConfig({ http: { resumable: false }, reload: { watch: false }, servers: { echo: { command: process.execPath, args: [ECHO_SERVER] } } }, { baseDir: process.cwd() });
const runtime = await startOutlet({ config, host: '127.0.0.1', port: 0, logger: pino({ level: 'silent' }) });
// The gateway installs its own observability from the config; the benchmark sets each mode itself.
await runtime.gateway.observability.close();

export const MODES: Record<string, ObservabilityModule.ObservabilityInput> = {
  full: {},
  // The overhead target covers tracing and metrics, without the tool-call log line.
  'tracing+metrics': { logs: { toolCalls: false } },
  tracing: { metrics: { enabled: false }, logs: { toolCalls: false } },
  metrics: { tracing: { enabled: false }, logs: { toolCalls: false } },
  logs: { tracing: { enabled: false }, metrics: { enabled: false } },
  // The same without the in-process store (spans end and are dropped): what keeping traces costs.
  'tracing+metrics-nostore': { logs: { toolCalls: false }, tracing: { inProcess: false } },
  'tracing+metrics-small': { logs: { toolCalls: false }, tracing: { maxTraces: 8 } },
  // Without payload capture, and without console lines: what each costs.
  'tracing+metrics-nopayload': { logs: { toolCalls: false }, tracing: { payloads: { capture: false } } },
  'tracing+metrics-noconsole': { logs: { toolCalls: false }, tracing: { consoleLines: 0 } },
  'full-sampled': { tracing: { sampleRatio: 0.1 } },
  'full-nostore': { tracing: { inProcess: false } },
  'full-nopayload': { tracing: { payloads: { capture: false } } },
  'tracing-bare': { metrics: { enabled: false }, logs: { toolCalls: false }, tracing: { inProcess: false, consoleLines: 0, payloads: { capture: false } } },
};
// The tool-call lines go through the application log as the CLI makes it, to /dev/null.
const appLog = createLogger('info', '/dev/null');
const noop = { start() {}, asyncEnd() {} };
let current: { close(): Promise<void> } | undefined;

async function apply(mode: string): Promise<void> {
  await current?.close();
  current = undefined;
  if (mode === 'noop') {
    inboundRequestChannel.subscribe(noop);
    upstreamRequestChannel.subscribe(noop);
    current = {
      close: async () => {
        inboundRequestChannel.unsubscribe(noop);
        upstreamRequestChannel.unsubscribe(noop);
      },
    };
  } else if (mode === 'inject-only') {
    const tp = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const h = { start(d: { call: { params: Record<string, unknown> } }) { d.call.params = { ...d.call.params, _meta: { traceparent: tp } }; } };
    upstreamRequestChannel.subscribe(h as never);
    current = { close: async () => void upstreamRequestChannel.unsubscribe(h as never) };
  } else if (mode !== 'off' && mode !== 'off-too') {
    const wanted = mode.startsWith('{') ? (JSON.parse(mode) as ObservabilityModule.ObservabilityInput) : MODES[mode];
    if (!wanted) throw new Error(`unknown mode ${mode}: off, noop, ${Object.keys(MODES).join(', ')}, or a JSON config`);
    const installed = await runtime.gateway.installObservability({ logger: appLog, config: wanted });
    current = installed;
  }
  // Each state starts from a collected heap: the other state's garbage is not charged to it.
  (globalThis as { gc?: () => void }).gc?.();
}

for (let i = 0; i < 400 && runtime.gateway.supervisor.status().some((u) => u.state !== 'connected'); i++) await new Promise((r) => setTimeout(r, 50));
process.stdout.write(`${JSON.stringify({ url: runtime.url })}\n`);

const stop = async () => {
  await current?.close();
  await runtime.close();
  process.exit(0);
};
process.once('SIGTERM', () => void stop());
for await (const line of createInterface({ input: process.stdin })) {
  const mode = line.trim();
  if (mode === 'exit') break;
  try {
    await apply(mode);
    process.stdout.write(`${JSON.stringify({ mode })}\n`);
  } catch (err) {
    process.stdout.write(`${JSON.stringify({ error: (err as Error).message })}\n`);
  }
}
await stop();
