import * as z from 'zod';
import { parseEgressRule } from '../egress-rules.js';
import { builtinSpec } from './builtin-spec.js';

/** The methods `http_request` may send; the read-only ones leave the server's state as it was (RFC 9110 section 9.2.1). */
export const HTTP_METHODS = ['GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export const SAFE_HTTP_METHODS: readonly string[] = ['GET', 'HEAD', 'OPTIONS'];

export const HTTP_DEFAULTS = { maxResponseBytes: 1_048_576, timeoutMs: 30_000, maxRedirects: 5 } as const;

/** An allowHosts entry is an egress rule: the same list is the tool's allowlist and the sandbox's. */
const hostEntry = z.string().superRefine((entry, ctx) => {
  const parsed = parseEgressRule(entry);
  if ('problem' in parsed) ctx.addIssue({ code: 'custom', message: parsed.problem });
});

/** `http`: HTTP requests to listed hosts only, through the sandbox's egress proxy. */
export const httpBuiltin = builtinSpec({
  name: 'http',
  description: 'HTTP(S) requests (http_request) to the hosts in allowHosts only; private addresses refused unless listed exactly; bounded size, time and redirects. Reaches nothing else: no files, and the network only through the egress proxy.',
  options: {
    allowHosts: z
      .array(hostEntry)
      .min(1)
      .describe('Hosts the tool may reach, written as sandbox.network.allow entries: "api.github.com" (ports 80 and 443), "api.example.com:8443", "*.example.com", "127.0.0.1:8080".'),
    methods: z
      .array(z.enum(HTTP_METHODS))
      .min(1)
      .optional()
      .describe(`Methods the tool may send. Default: all of ${HTTP_METHODS.join(', ')}. Only GET, HEAD and OPTIONS makes the tool read-only.`),
    maxResponseBytes: z.int().positive().max(64 * 1_048_576).optional().describe(`Response body bytes kept; the rest is cut and the result says truncated: true. Default: ${HTTP_DEFAULTS.maxResponseBytes}.`),
    requestTimeoutMs: z.int().positive().max(600_000).optional().describe(`Time for a whole call, redirects included. Default: ${HTTP_DEFAULTS.timeoutMs}.`),
    maxRedirects: z.int().min(0).max(20).optional().describe(`Redirects followed, each checked like the first request. Default: ${HTTP_DEFAULTS.maxRedirects}.`),
  },
  resolve: (options) => ({ ...options }),
  sandbox: (resolved) => ({ network: { allow: [...(resolved.allowHosts as string[])] } }),
});
