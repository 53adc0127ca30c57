import { pino } from 'pino';
import type { OutletConfig } from '../config/index.js';
import type { Gateway } from '../gateway/gateway.js';
import type { Logger } from '../observability/logger.js';
import { assembleOutlet } from '../outlet/create-outlet.js';
import { processLookup, resolveServerlessConfig, type ConfigLookup } from './config-source.js';

/** The one thing every serverless adapter needs: the outlet's HTTP surface as Web `Request -> Response`. */
export interface FetchApp {
  fetch(request: Request): Response | Promise<Response>;
}

/** A gateway and its HTTP app, built once per cold start and reused by every warm invocation. */
export interface ServerlessOutlet {
  app: FetchApp;
  gateway: Gateway;
  /** Stops the upstreams (tests; a platform simply freezes or kills the instance). */
  close(): Promise<void>;
}

/**
 * The log of a function instance: synchronous writes on stderr. The platform freezes an instance
 * between invocations, so lines held in a buffer would surface one invocation late, or never.
 */
export function serverlessLogger(level = process.env.OUTLET_LOG_LEVEL ?? 'info'): Logger {
  return pino({ level, base: { svc: 'mcp-outlet' } }, pino.destination({ fd: 2, sync: true }));
}

/**
 * Starts a gateway for an explicit config and wraps it in the HTTP app (upstreams are spawned
 * now, not at the first request). `listen` means nothing here, since the platform owns the socket;
 * it is set to a non-loopback host so the DNS-rebinding guard does not demand a localhost Host
 * header, which a request through API Gateway, a Function URL or a Worker route never carries.
 * `http.allowedHosts` / `http.allowedOrigins` still apply when the config sets them.
 */
export async function createServerlessOutlet(config: OutletConfig, options: { logger?: Logger } = {}): Promise<ServerlessOutlet> {
  const logger = options.logger ?? serverlessLogger();
  // No reload request handler: a function's config changes by deploying it again (POST /api/reload answers 409).
  const { outlet, gateway } = await assembleOutlet({ ...config, listen: { ...config.listen, host: '0.0.0.0' } }, { logger });
  return { app: { fetch: (request) => outlet.fetch(request) }, gateway, close: () => outlet.close() };
}

/** Resolves the config from the environment (see `resolveServerlessConfig`) and starts the outlet on it. */
export async function startFromEnvironment(lookup: ConfigLookup = processLookup(), options: { logger?: Logger } = {}): Promise<ServerlessOutlet> {
  const logger = options.logger ?? serverlessLogger();
  try {
    return await createServerlessOutlet(await resolveServerlessConfig(lookup), { logger });
  } catch (err) {
    // Logged once here; every invocation then answers 500 with the same reason.
    logger.error({ err }, 'mcp-outlet could not start');
    throw err;
  }
}

let shared: Promise<ServerlessOutlet> | undefined;

/**
 * The instance's outlet, started on first use and shared by every entry module loaded in the
 * process (so importing two adapters does not start two gateways). The entry modules call it at
 * load time, which puts the cold start in the platform's init phase; a failed start stays failed
 * (a wrong config does not fix itself) and is reported by each invocation.
 */
export function sharedOutlet(): Promise<ServerlessOutlet> {
  if (!shared) {
    shared = startFromEnvironment();
    // Awaited by each invocation; this only keeps a failed start from counting as unhandled.
    void shared.catch(() => undefined);
  }
  return shared;
}

/** The answer to every request when the outlet could not start: the reason, never a bare crash. */
export function startFailureResponse(err: unknown): Response {
  const reason = err instanceof Error ? err.message : String(err);
  return Response.json({ ok: false, error: `mcp-outlet could not start: ${reason}` }, { status: 500 });
}

/** Awaits the outlet and serves one request, turning a failed start into its 500 answer. */
export async function serveWith(outlet: () => Promise<ServerlessOutlet>, request: Request): Promise<Response> {
  let app: FetchApp;
  try {
    app = (await outlet()).app;
  } catch (err) {
    return startFailureResponse(err);
  }
  return app.fetch(request);
}
