import type { OutletConfig } from '../config/index.js';
import { Gateway } from '../gateway/gateway.js';
import { createHttpApp } from '../inbound/http/http-app.js';
import { createLogger, type Logger } from '../observability/logger.js';
import type { ApplyResult } from '../supervisor/supervisor.js';

export interface CreateOutletOptions {
  /** A pino logger; without one, JSON lines on stdout at OUTLET_LOG_LEVEL (default info). */
  logger?: Logger;
  /**
   * What POST /api/reload runs (e.g. re-read a config file and `reload()` with it); its result is
   * the answer's body. Without it the endpoint answers 409: an embedded config has no file to re-read.
   */
  onReloadRequest?: () => Promise<unknown>;
}

/** Which servers a reload started, stopped, restarted with a changed entry, or left running. */
export type ReloadResult = ApplyResult;

/**
 * A running outlet without a socket of its own: the embedder hands it Web requests (a Worker,
 * Deno, Bun, a Node server it already runs, a test). It answers every route the `outlet`
 * command serves: /mcp, /servers/<name>/mcp, /rpc, the REST routes, /health, /ready, /metrics.
 */
export interface Outlet {
  /** Serves one HTTP request. */
  fetch(request: Request): Promise<Response>;
  /**
   * Applies a new config (already parsed: `parseConfig`, `loadConfigFile`): servers added, removed
   * or changed are started or stopped, untouched ones and client sessions keep running. Reloads
   * are applied one at a time, in the order they were asked for.
   */
  reload(config: OutletConfig): Promise<ReloadResult>;
  /**
   * Resolves once every configured server has finished its first connection attempt (connected or
   * failed; /ready tells which), or after `timeoutMs` (default: the config's startup.listWaitMs).
   * Upstreams start in the background, so a request before this may see a partial catalog.
   */
  whenStarted(timeoutMs?: number): Promise<void>;
  /**
   * Stops the upstreams (their process groups killed) and ends every session. With `graceMs`,
   * new calls are first refused with SHUTTING_DOWN and calls in flight get up to `graceMs` to finish.
   */
  close(options?: { graceMs?: number }): Promise<void>;
}

/** An outlet with the parts the runtimes in this package use: the gateway and the Hono app (Node's server passes its request through it). */
export interface AssembledOutlet {
  outlet: Outlet;
  gateway: Gateway;
  app: ReturnType<typeof createHttpApp>;
}

/** Starts the gateway for `config` (upstreams are spawned now, not at the first request) and builds its HTTP app. */
export async function assembleOutlet(config: OutletConfig, options: CreateOutletOptions = {}): Promise<AssembledOutlet> {
  const logger = options.logger ?? createLogger();
  const gateway = await Gateway.start(config, { logger });
  const app = createHttpApp(gateway, options.onReloadRequest ? { reload: options.onReloadRequest } : {});
  let reloading: Promise<unknown> = Promise.resolve();
  const outlet: Outlet = {
    fetch: async (request) => app.fetch(request),
    reload: (next) => {
      const applied = reloading.catch(() => undefined).then(() => gateway.reload(next));
      reloading = applied;
      return applied;
    },
    whenStarted: (timeoutMs = gateway.config.startup.listWaitMs) => gateway.supervisor.waitForStartup(timeoutMs),
    close: async ({ graceMs } = {}) => {
      if (graceMs !== undefined) {
        const unfinished = await gateway.drain(graceMs);
        if (unfinished > 0) logger.warn({ unfinished }, 'calls still running after the drain period are cut off');
      }
      await gateway.close();
    },
  };
  return { outlet, gateway, app };
}

/**
 * mcp-outlet as a library: `const outlet = await createOutlet(parseConfig(raw))`, then
 * `outlet.fetch(request)` for each request and `outlet.close()` at the end. The Node server with
 * a listening socket and config-file watching is `startOutlet`.
 *
 * `config.listen.host` still sets the DNS-rebinding guard, though nothing listens on it: on a
 * loopback host (the default) the MCP routes answer only requests addressed to localhost unless
 * `http.allowedHosts` names more; an outlet reached under another name sets one of the two (the
 * serverless entries set `listen.host` to 0.0.0.0).
 */
export async function createOutlet(config: OutletConfig, options: CreateOutletOptions = {}): Promise<Outlet> {
  return (await assembleOutlet(config, options)).outlet;
}
