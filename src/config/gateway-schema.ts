import * as z from 'zod';
import { sandboxProfileSchema } from './sandbox-schema.js';
import { limitsSchema } from './instances-schema.js';
import { serverMapSchema } from './server-schema.js';
import { securityShape } from './auth-schema.js';
import { observabilitySchema } from './observability-schema.js';
import { rpcSchema } from './rpc-schema.js';
import { packagesSchema } from './packages-schema.js';
import { codeModeSchema } from './code-mode-schema.js';

/**
 * Input schema of the whole config file. Each gateway section is a strict object with defaults for
 * every field, wrapped in `.prefault({})` so an absent section still gets those defaults. New
 * sections (sandbox, auth, policies, ...) are added as one more key of `gatewayShape` plus a field
 * of `OutletConfig`; the normalizer copies gateway sections through as zod returns them.
 */

/**
 * Characters allowed in the namespace separator: the punctuation MCP allows in tool names besides
 * letters and digits. Letters and digits are excluded so a separator can never be part of a server
 * prefix, which keeps `<prefix><separator><tool>` splittable. Note that "." is valid MCP but some
 * model APIs reject it in tool names; "__" (the default) and "-" are safe everywhere.
 */
export const SEPARATOR_PATTERN = /^[_.-]{1,4}$/;

const millis = z.int().positive();

/**
 * Bounds on 2025-era sessions (Streamable HTTP with Mcp-Session-Id, and legacy HTTP+SSE), which
 * otherwise live until the client deletes them: each holds an SDK server and its transport, so an
 * unbounded count is unbounded memory.
 */
const httpSessionsSchema = z
  .strictObject({
    max: z
      .int()
      .positive()
      .default(5000)
      .describe('Most 2025-era and legacy SSE sessions held at once, gateway-wide. At the cap, the session idle longest is closed to make room; when none is idle, initialize is refused with 503 (GATEWAY_BUSY). Default: 5000.'),
    idleTimeoutMs: millis
      .default(1_800_000)
      .describe('A session with no request for this long (and no open stream) is closed: its calls in flight are cancelled and a later request on it gets 404, so the client starts a new one. Legacy SSE sessions count only their POSTs. Default: 1800000 (30 minutes).'),
  })
  .prefault({})
  .describe('Limits on 2025-era sessions.');

/** The HTTP section of the config (also what `OutletConfig.http` is). */
export const httpSchema = z
  .strictObject({
    allowedHosts: z.array(z.string().min(1)).optional().describe('Host header values accepted (DNS-rebinding protection). Default: decided by the HTTP layer from listen.host.'),
    allowedOrigins: z.array(z.string().min(1)).optional().describe('Origin header values accepted from browsers. Default: decided by the HTTP layer.'),
    maxBodyBytes: z.int().positive().default(4_194_304).describe('Largest request body accepted, in bytes. Default: 4194304 (4 MiB).'),
    maxJsonDepth: z
      .int()
      .positive()
      .default(256)
      .describe(
        'Deepest nesting of arrays and objects a JSON body (or stdio line) may have, checked on the raw text before it is parsed, so a hostile depth costs no parsing time; refused with -32600 / HTTP 400. Keep it at or above inputLimits.maxDepth, which refuses a merely deep message with its path. Default: 256.',
      ),
    headersTimeoutMs: millis
      .default(10_000)
      .describe('Time a client has to send the complete request headers; a slower one gets 408 and the connection is closed. Default: 10000 (Node\'s own is 60000).'),
    bodyTimeoutMs: millis
      .default(30_000)
      .describe('Time a client has to send a whole request, headers and body, from its first byte; a body trickled slower is cut with 408 and the connection closed. Default: 30000 (Node\'s own is 300000).'),
    keepAliveTimeoutMs: millis
      .default(5_000)
      .describe('How long an idle keep-alive connection is held open for the next request. Default: 5000.'),
    resumable: z
      .boolean()
      .default(true)
      .describe('Keep recent SSE events per 2025-era session so a client can resume a dropped stream with Last-Event-ID. Default: true.'),
    sessions: httpSessionsSchema,
  })
  .prefault({})
  .describe('HTTP front-end limits and checks.');

export type HttpConfig = z.output<typeof httpSchema>;

export const gatewayShape = {
  $schema: z.string().optional().describe('Optional URL or path of this file\'s JSON Schema, for editors. Ignored by the gateway.'),
  listen: z
    .strictObject({
      host: z.string().min(1).default('127.0.0.1').describe('Interface the gateway listens on. Default: 127.0.0.1 (local only).'),
      port: z.int().min(0).max(65535).default(3000).describe('TCP port; 0 picks a free port. Default: 3000.'),
    })
    .prefault({})
    .describe('Where the gateway\'s HTTP endpoint listens.'),
  namespace: z
    .strictObject({
      separator: z
        .string()
        .regex(SEPARATOR_PATTERN, { error: 'expected 1 to 4 characters from "_", "-" and "."' })
        .default('__')
        .describe('Text between a server prefix and a tool, prompt or resource name, e.g. fs__read_file. 1-4 characters from "_", "-", ".". Default: "__".'),
    })
    .prefault({})
    .describe('How names from different upstreams are kept apart.'),
  startup: z
    .strictObject({
      listWaitMs: z.int().min(0).default(10_000).describe('How long a list request waits for upstreams that are still connecting, in milliseconds. Default: 10000.'),
    })
    .prefault({})
    .describe('Behaviour while upstreams are still starting.'),
  upstream: z
    .strictObject({
      requestTimeoutMs: millis.default(60_000).describe('Default per-request timeout towards upstreams, in milliseconds. Default: 60000.'),
      connectTimeoutMs: millis.default(30_000).describe('How long connecting to (or starting) an upstream may take, in milliseconds. Default: 30000.'),
      drainTimeoutMs: z.int().min(0).default(30_000).describe('How long a reload that changes or removes a server lets the calls in flight on its old instance finish before that instance stops, in milliseconds (new calls go to the new entry at once; 0 stops it at once). Default: 30000.'),
    })
    .prefault({})
    .describe('Defaults for every upstream server.'),
  http: httpSchema,
  reload: z
    .strictObject({
      watch: z.boolean().default(true).describe('Reload the configuration when the file changes. Default: true.'),
    })
    .prefault({})
    .describe('Live reload of the configuration file.'),
  sandbox: sandboxProfileSchema
    .optional()
    .describe('Default sandbox of every stdio server; an entry\'s own sandbox block wins key by key (limits merge). Default: bubblewrap when it works here, else none, with a loud warning.'),
  limits: limitsSchema.optional(),
  observability: observabilitySchema,
  rpc: rpcSchema,
  packages: packagesSchema,
  codeMode: codeModeSchema,
  // Who may call what and how often: auth, policies, rateLimits, inputLimits, pinning, audit.
  ...securityShape,
  servers: serverMapSchema.optional().describe('Upstream MCP servers, keyed by server name (letters, digits, "_", "-").'),
  mcpServers: serverMapSchema
    .optional()
    .describe('Synonym of servers, so Claude Desktop, Cursor and VS Code files work unchanged. A name may not appear in both.'),
};

/** The schema of a config file after environment interpolation. */
export const configInputSchema = z.strictObject(gatewayShape).meta({
  title: 'mcp-outlet configuration',
  description: 'Configuration of an mcp-outlet gateway. String values may use ${VAR} or ${VAR:-default} to read environment variables; $${ is a literal ${.',
});

export type ConfigInput = z.output<typeof configInputSchema>;
