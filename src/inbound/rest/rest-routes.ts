import type { Context, Hono } from 'hono';
import type { HttpPolicy } from '../../policy/http-policy.js';
import type { Gateway } from '../../gateway/gateway.js';
import type { Logger } from '../../observability/logger.js';
import type { Handler, Principal } from '../../policy/call-context.js';
import { runDirectCall } from '../../protocol/direct-call.js';
import { buildOpenApiDocument } from './openapi-document.js';
import { readToolArguments } from './rest-arguments.js';
import { listCallerTools, type RestCaller } from './rest-catalog.js';
import { failureResponse, latencySince, toolCallResponse } from './rest-responses.js';

/** What the HTTP app's authentication middleware leaves on the context. */
type RestEnv = { Variables: { auth?: { principal?: Principal } } };

/** What the REST routes need of the gateway; `handle` is optional in the HTTP app's view of it. */
export type RestGateway = Pick<Gateway, 'config' | 'currentCatalog' | 'logger'> & { readonly handle?: Handler };

export interface RestRoutesOptions {
  /** The HTTP app's Host/Origin check (DNS rebinding): returns a refusal, or undefined to go on. */
  guard: (request: Request) => Response | undefined;
  /** Whether requests carry credentials, for the OpenAPI document's security section. */
  security?: Pick<HttpPolicy, 'authEnabled'>;
}

/**
 * Tools over plain HTTP for callers that do not speak MCP:
 *   GET  /api/tools         the tools this caller may use, with their JSON Schemas
 *   POST /api/tools/<name>  call one; the JSON body is its arguments
 *   GET  /openapi.json      an OpenAPI 3.1 description of the two, generated per caller
 *
 * Every call and listing goes through the gateway's handler as an MCP request would (policy
 * chain: authorization, rate limits, argument checks; router; tracing; audit), so REST never
 * lets a caller do or see more than MCP does. Callers are authorized per tool there, not by the
 * operator role that guards the rest of /api/*: register these routes before that check.
 */
export function registerRestRoutes(app: Hono<RestEnv>, gateway: RestGateway, options: RestRoutesOptions): void {
  const handle = gateway.handle;
  // A gateway view without a handler (some embedding tests) has nothing to call through.
  if (!handle) return;
  const catalog = () => gateway.currentCatalog();

  /** Each route: the Host/Origin guard first, then its work, its failures answered as REST errors with the latency. */
  const route = (work: (c: Context<RestEnv>, start: number) => Promise<Response>) => async (c: Context<RestEnv>) => {
    const refused = options.guard(c.req.raw);
    if (refused) return refused;
    const start = performance.now();
    try {
      return await work(c, start);
    } catch (err) {
      return failureResponse(err, latencySince(start), quietIfGone(c, gateway.logger));
    }
  };

  app.get('/api/tools', route(async (c) => c.json({ tools: await listCallerTools(handle, catalog, callerOf(c)) })));

  app.post(
    '/api/tools/:name',
    route(async (c, start) => {
      // Read per request: a reload may change the limit.
      const args = await readToolArguments(c.req.raw, gateway.config.http.maxBodyBytes, gateway.config.http.maxJsonDepth);
      const result = await runDirectCall(handle, {
        method: 'tools/call',
        params: { name: c.req.param('name'), arguments: args },
        scope: { kind: 'aggregate' },
        transport: 'rest',
        ...callerOf(c),
      });
      return toolCallResponse(result, latencySince(start));
    }),
  );

  app.get(
    '/openapi.json',
    route(async (c) => {
      const tools = await listCallerTools(handle, catalog, callerOf(c));
      const auth = options.security?.authEnabled ? { auth: { anonymous: gateway.config.auth?.anonymous === true } } : {};
      return c.json(buildOpenApiDocument(tools, { serverUrl: new URL(c.req.url).origin, ...auth }));
    }),
  );
}

/** A call cut short because the caller hung up is not a gateway fault worth an error line. */
function quietIfGone(c: Context<RestEnv>, logger: Pick<Logger, 'error'>): Pick<Logger, 'error'> {
  return c.req.raw.signal.aborted ? { error: () => undefined } : logger;
}

function callerOf(c: Context<RestEnv>): RestCaller {
  const principal = c.get('auth')?.principal;
  return { ...(principal ? { principal } : {}), headers: c.req.raw.headers, signal: c.req.raw.signal };
}
