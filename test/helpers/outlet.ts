import { Client, StreamableHTTPClientTransport, type StreamableHTTPClientTransportOptions } from '@modelcontextprotocol/client';
import { parseConfig } from '../../src/config/index.js';
import { startOutlet, type OutletRuntime } from '../../src/outlet/runtime.js';
import { silentLogger } from '../../src/observability/logger.js';

/** Starts a real outlet on 127.0.0.1 with a random port from a raw config object. */
export async function startTestOutlet(raw: Record<string, unknown>, options: { configPath?: string; baseDir?: string } = {}): Promise<OutletRuntime> {
  const config = parseConfig(raw, { baseDir: options.baseDir ?? process.cwd() });
  return startOutlet({
    config,
    host: '127.0.0.1',
    port: 0,
    logger: silentLogger(),
    ...(options.configPath ? { configPath: options.configPath } : {}),
  });
}

export type ClientEra = '2025-11-25' | '2025-06-18' | '2026-07-28';

/** An SDK v2 client over Streamable HTTP speaking one protocol era (`transport.fetch` serves it in process). */
export async function connectHttpClient(url: string, era: ClientEra, capabilities: Record<string, unknown> = {}, transport: StreamableHTTPClientTransportOptions = {}): Promise<Client> {
  const client = new Client(
    { name: `test-client-${era}`, version: '1.0.0' },
    {
      capabilities,
      // The legacy handshake offers the first 2025-era entry of supportedProtocolVersions.
      ...(era === '2026-07-28' ? { versionNegotiation: { mode: { pin: '2026-07-28' } } } : { supportedProtocolVersions: [era] }),
    },
  );
  await client.connect(new StreamableHTTPClientTransport(new URL(url), transport));
  return client;
}

/** Polls until `check` returns a truthy value or the deadline passes (event-driven where possible; this is for state that has no event). */
export async function eventually<T>(check: () => T | Promise<T>, timeoutMs = 15_000, stepMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, stepMs));
  }
}

/** Waits until /ready answers 200 (every enabled upstream connected). */
export async function waitReady(baseUrl: string, timeoutMs = 20_000): Promise<void> {
  await eventually(async () => (await fetch(`${baseUrl}/ready`)).status === 200, timeoutMs);
}
