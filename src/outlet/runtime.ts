import type { ServerOptions } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { defaultConfig, loadConfigFile, type OutletConfig } from '../config/index.js';
import type { Gateway } from '../gateway/gateway.js';
import { createLogger, type Logger } from '../observability/logger.js';
import { watchConfigFile } from './config-watcher.js';
import { assembleOutlet, type ReloadResult } from './create-outlet.js';
import { measureSandboxHost } from './sandbox-host-probe.js';

// Configs this server loads resolve unset sandbox backends from this host's facts.
measureSandboxHost();

export interface OutletRuntimeOptions {
  /** A config file; without it the embedded default config is served. */
  configPath?: string;
  /** A ready config (tests); wins over configPath for the first load, configPath still reloads. */
  config?: OutletConfig;
  host?: string;
  port?: number;
  logger?: Logger;
  /** Listen for SIGHUP to reload (the CLI does; tests do not). */
  handleSignals?: boolean;
}

/** The running Node server as the package exports it (`startOutlet`). */
export interface OutletServer {
  /** Base URL, e.g. http://127.0.0.1:3000 */
  url: string;
  /** Re-reads the config file and applies it; rejects when the outlet runs without one, or the file is invalid (the running config stays). */
  reload(): Promise<ReloadResult>;
  /**
   * Shuts down. With `graceMs`, gracefully: no new connections, new calls refused with
   * SHUTTING_DOWN, calls in flight given up to `graceMs` to finish; then upstreams are stopped
   * (their process groups killed).
   */
  close(options?: { graceMs?: number }): Promise<void>;
}

/** The runtime with the gateway inside it, for this package's own commands and tests; the gateway is not public API. */
export interface OutletRuntime extends OutletServer {
  gateway: Gateway;
}

/**
 * Node's HTTP server options for the configured bounds. Node's own defaults hold a request whose
 * body trickles in for 300 s and its headers for 60 s, so a few hundred slow clients (a slow-loris
 * attack) pin as many sockets for minutes; here both are cut with 408. Node checks these deadlines
 * every `connectionsCheckingInterval` (30 s by default), so the check runs at a fraction of the
 * shortest bound; and it refuses a header deadline longer than the whole-request one, so the header
 * bound never exceeds it.
 */
export function httpTimeouts(http: Pick<OutletConfig['http'], 'headersTimeoutMs' | 'bodyTimeoutMs' | 'keepAliveTimeoutMs'>): ServerOptions {
  const headersTimeout = Math.min(http.headersTimeoutMs, http.bodyTimeoutMs);
  return {
    headersTimeout,
    requestTimeout: http.bodyTimeoutMs,
    keepAliveTimeout: http.keepAliveTimeoutMs,
    connectionsCheckingInterval: Math.max(100, Math.min(1000, Math.floor(headersTimeout / 4))),
  };
}

/** Reads the config the runtime was told to use: the file, or the embedded default. */
export async function resolveConfig(configPath: string | undefined): Promise<OutletConfig> {
  return configPath ? loadConfigFile(configPath) : defaultConfig();
}

/**
 * Starts the whole outlet: loads the config, starts upstreams, serves HTTP, and reloads on file
 * change, SIGHUP or POST /api/reload. A new config that fails validation is refused with its
 * reasons and the running one stays.
 */
export async function startOutlet(options: OutletRuntimeOptions = {}): Promise<OutletRuntime> {
  const logger = options.logger ?? createLogger();
  const config = options.config ?? (await resolveConfig(options.configPath));
  const host = options.host ?? config.listen.host;
  const port = options.port ?? config.listen.port;
  const effective: OutletConfig = { ...config, listen: { host, port } };

  let reloading: Promise<ReloadResult> = Promise.resolve({ added: [], removed: [], changed: [], unchanged: [] });
  const reload = (): Promise<ReloadResult> => {
    const path = options.configPath;
    if (!path) return Promise.reject(new Error('no config file to reload'));
    // Serialize reloads: a second edit waits for the first to finish applying.
    reloading = reloading.catch(() => undefined).then(async () => {
      const next = await loadConfigFile(path);
      return outlet.reload({ ...next, listen: effective.listen });
    });
    return reloading;
  };
  const reloadLogged = () => {
    reload().catch((err: unknown) => logger.error({ reason: (err as Error).message }, 'new config refused; the running config stays'));
  };

  const { outlet, gateway, app } = await assembleOutlet(effective, { logger, ...(options.configPath ? { onReloadRequest: reload } : {}) });
  const timeouts = httpTimeouts(config.http);
  const server: ServerType = serve({ fetch: app.fetch, hostname: host, port, serverOptions: timeouts });
  // Older Node releases take the keep-alive bound only as a property, not as an option.
  (server as { keepAliveTimeout?: number }).keepAliveTimeout = timeouts.keepAliveTimeout!;
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  // Out of descriptors, accept() fails with EMFILE and the server emits 'error' for each attempt;
  // unheard, that would end the process and every session with it. libuv then refuses the waiting
  // connection, and the ones already held keep being served; the log says why, once per burst.
  let lastAcceptError = 0;
  server.on('error', (err: NodeJS.ErrnoException) => {
    if (Date.now() - lastAcceptError < 5000) return;
    lastAcceptError = Date.now();
    logger.error({ code: err.code, reason: err.message }, 'cannot accept a connection (new ones are refused until resources free up)');
  });
  const address = server.address() as AddressInfo;
  const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
  logger.info({ url, servers: Object.keys(config.servers) }, 'mcp-outlet listening');

  const stopWatching = options.configPath && config.reload.watch ? watchConfigFile(options.configPath, reloadLogged) : () => undefined;
  const onHup = () => reloadLogged();
  if (options.handleSignals) process.on('SIGHUP', onHup);

  return {
    gateway,
    url,
    reload,
    close: async ({ graceMs = 0 } = {}) => {
      stopWatching();
      process.off('SIGHUP', onHup);
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Closing the outlet ends every session's streams cleanly (answers already produced are
      // written first); only connections still open after that are cut.
      await outlet.close({ graceMs });
      const cut = setTimeout(() => (server as { closeAllConnections?: () => void }).closeAllConnections?.(), graceMs > 0 ? 2000 : 0);
      cut.unref();
      await closed;
      clearTimeout(cut);
    },
  };
}

/** `startOutlet` as the package exports it: the same server, typed without the gateway inside. */
export const startOutletServer: (options?: OutletRuntimeOptions) => Promise<OutletServer> = startOutlet;
