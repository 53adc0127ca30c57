import { fileURLToPath } from 'node:url';
import { Hono } from 'hono';
import { pino } from 'pino';
import type { OutletRuntime } from '../../src/outlet/runtime.js';
import { registerObservabilityRoutes } from '../../src/inbound/http/observability-routes.js';
import type { InstallObservabilityOptions, ObservabilityHandle } from '../../src/observability/index.js';
import type { ObservabilityInput } from '../../src/config/observability-schema.js';
import type { Client } from '@modelcontextprotocol/client';
import { connectHttpClient, startTestOutlet, waitReady } from '../helpers/outlet.js';

export const META_ECHO = fileURLToPath(new URL('./meta-echo-server.mjs', import.meta.url));

/** A value that must never be seen in a log line, span or audit record. */
export const SECRET = 'hunter2-correct-horse-battery';

/** The fixture as server "obs", with a secret in its env (the recorded config must not show it). */
export function obsServers(): Record<string, unknown> {
  return { obs: { command: process.execPath, args: [META_ECHO], env: { OBS_API_KEY: SECRET, OBS_MODE: 'test' } } };
}

export interface Observed {
  outlet: OutletRuntime;
  handle: ObservabilityHandle;
  /** The application log lines observability wrote (parsed JSON). */
  logs: Record<string, unknown>[];
  /** The raw audit lines. */
  audit: string[];
  /** A Hono app with only the observability routes, for requests without a listener. */
  app: Hono;
  /** Closes the current handle and installs a new one with this config. */
  install(config: ObservabilityInput, options?: Partial<InstallObservabilityOptions>): Promise<ObservabilityHandle>;
  close(): Promise<void>;
}

/** A real outlet with the fixture behind it, and observability installed on it (re-installable with another config). */
export async function startObserved(config: ObservabilityInput, options: Partial<InstallObservabilityOptions> = {}): Promise<Observed> {
  const outlet = await startTestOutlet({ servers: obsServers() });
  await waitReady(outlet.url);
  const logs: Record<string, unknown>[] = [];
  const audit: string[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void logs.push(JSON.parse(line) as Record<string, unknown>) });
  const observed: Observed = {
    outlet,
    handle: undefined as unknown as ObservabilityHandle,
    logs,
    audit,
    app: new Hono(),
    async install(cfg, opts = {}) {
      // The gateway's own observability is replaced (never doubled: one per gateway).
      observed.handle = await outlet.gateway.installObservability({
        logger,
        config: cfg,
        auditSink: { write: (line: string) => void audit.push(line) },
        ...opts,
      });
      observed.app = new Hono();
      registerObservabilityRoutes(observed.app, observed.handle);
      return observed.handle;
    },
    async close() {
      await outlet.close();
    },
  };
  await observed.install(config, options);
  return observed;
}

/** An observed outlet (startObserved) with a 2025-11-25 client connected to its aggregate endpoint. */
export async function startObservedWithClient(config: ObservabilityInput): Promise<{ observed: Observed; client: Client }> {
  const observed = await startObserved(config);
  return { observed, client: await connectHttpClient(`${observed.outlet.url}/mcp`, '2025-11-25') };
}

/** Closes what startObservedWithClient made (either may be missing when it failed half-way). */
export async function closeObservedWithClient(observed: Observed | undefined, client: Client | undefined): Promise<void> {
  await client?.close();
  await observed?.close();
}

export function traceparent(traceId: string, spanId: string, sampled = true): string {
  return `00-${traceId}-${spanId}-${sampled ? '01' : '00'}`;
}

export function randomHex(bytes: number): string {
  return [...crypto.getRandomValues(new Uint8Array(bytes))].map((b) => b.toString(16).padStart(2, '0')).join('');
}
