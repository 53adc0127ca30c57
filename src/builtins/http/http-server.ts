import * as z from 'zod';
import { parseEgressRules } from '../../config/egress-rules.js';
import { HTTP_DEFAULTS, HTTP_METHODS, SAFE_HTTP_METHODS } from '../../config/builtins/http.js';
import { systemLookup, type EgressLookup } from '../../sandbox/egress-decision.js';
import { defineServer, defineTool, type ServerDefinition } from '../define.js';
import { encodeBody, follow } from './follow.js';
import { proxyFor } from './proxy-env.js';
import { checkRequestHeaders } from './request-headers.js';

/**
 * Test seam, never set in production: with OUTLET_BUILTIN_UNSAFE_TEST_HTTP=1 the tool skips its own
 * allowlist and address checks, so a test can show that the sandbox's egress proxy still refuses.
 */
export const UNSAFE_TEST_ENV = 'OUTLET_BUILTIN_UNSAFE_TEST_HTTP';

const MAX_REQUEST_BODY = 1_048_576;

export interface HttpOptions {
  allowHosts: string[];
  methods?: (typeof HTTP_METHODS)[number][];
  maxResponseBytes?: number;
  requestTimeoutMs?: number;
  maxRedirects?: number;
}

const answer = z.object({
  status: z.number(),
  statusText: z.string(),
  url: z.string().describe('The URL that answered, after redirects'),
  headers: z.record(z.string(), z.string()),
  body: z.string(),
  bodyEncoding: z.enum(['text', 'base64']).describe('base64 when the body is not UTF-8 text'),
  bytes: z.number().describe('Body bytes kept'),
  truncated: z.boolean().describe('True when the body was longer than maxResponseBytes and was cut there'),
  redirects: z.array(z.string()),
});

/** The `http` built-in: one tool, http_request, to the listed hosts only. */
export function httpServer(options: HttpOptions, env: NodeJS.ProcessEnv = process.env, lookup: EgressLookup = systemLookup): ServerDefinition {
  const rules = parseEgressRules(options.allowHosts);
  const methods = options.methods ?? [...HTTP_METHODS];
  const maxBytes = options.maxResponseBytes ?? HTTP_DEFAULTS.maxResponseBytes;
  const timeoutMs = options.requestTimeoutMs ?? HTTP_DEFAULTS.timeoutMs;
  const readOnly = methods.every((m) => SAFE_HTTP_METHODS.includes(m));
  const skipChecks = env[UNSAFE_TEST_ENV] === '1';
  return defineServer({
    name: 'outlet-http',
    tools: [
      defineTool({
        name: 'http_request',
        description: `Sends an HTTP request to an allowed host (${options.allowHosts.join(', ')}) and returns status, headers and body (text, or base64 for binary; at most ${maxBytes} bytes kept). Redirects are followed (up to ${options.maxRedirects ?? HTTP_DEFAULTS.maxRedirects}) only to allowed hosts.`,
        input: z.object({
          method: z.enum(methods as [string, ...string[]]).optional().describe(`Default GET. Allowed: ${methods.join(', ')}`),
          url: z.string().max(8192).describe('http:// or https:// URL on an allowed host, without user:password@'),
          headers: z.record(z.string(), z.string()).optional().describe('Request headers; Host, hop-by-hop and framing headers are refused'),
          body: z.string().max(MAX_REQUEST_BODY * 2).optional().describe('Request body (text, or base64 with body_base64)'),
          body_base64: z.boolean().optional().describe('The body is base64-encoded bytes'),
          follow_redirects: z.boolean().optional().describe('Default true'),
          timeout_ms: z.int().positive().max(timeoutMs).optional().describe(`Default and maximum ${timeoutMs}`),
        }),
        output: answer,
        annotations: { readOnlyHint: readOnly, destructiveHint: !readOnly, idempotentHint: readOnly, openWorldHint: true },
        run: async (args, { signal }) => {
          const method = args.method ?? 'GET';
          if (!methods.includes(method as never)) throw new Error(`method: "${method}" is not allowed (methods: ${methods.join(', ')})`);
          const headers = checkRequestHeaders(args.headers);
          const body = args.body === undefined ? undefined : Buffer.from(args.body, args.body_base64 ? 'base64' : 'utf8');
          if (body && body.length > MAX_REQUEST_BODY) throw new Error(`body: ${body.length} bytes, more than ${MAX_REQUEST_BODY}`);
          if (body && (method === 'GET' || method === 'HEAD')) throw new Error(`body: a ${method} request carries no body`);
          const limit = args.timeout_ms ?? timeoutMs;
          const timeout = AbortSignal.timeout(limit);
          const viaProxy = proxyFor('http:', env) !== undefined || proxyFor('https:', env) !== undefined;
          try {
            const got = await follow(
              { method, url: args.url, headers, ...(body ? { body } : {}), followRedirects: args.follow_redirects ?? true, maxRedirects: options.maxRedirects ?? HTTP_DEFAULTS.maxRedirects, maxBytes, signal: AbortSignal.any([signal, timeout]) },
              { rules, lookup, viaProxy, skipChecks },
              env,
            );
            const flat = Object.fromEntries(Object.entries(got.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v)]));
            return { status: got.status, statusText: got.statusText, url: got.url, headers: flat, ...encodeBody(got.body, got.headers['content-type']), bytes: got.body.length, truncated: got.truncated, redirects: got.redirects };
          } catch (err) {
            if (timeout.aborted) throw new Error(`no complete answer within ${limit} ms (timeout_ms / requestTimeoutMs)`, { cause: err });
            throw err;
          }
        },
      }),
    ],
  });
}
