import { formatPath, type ConfigIssue, type PathSegment } from './issues.js';
import { gatewayFilesOf } from './normalize-sandbox.js';
import { normalizeServer } from './normalize-server.js';
import { serverEntrySchema } from './server-schema.js';
import type { OutletConfig, ServerConfig } from './types.js';
import { configErrorMap, fromZodIssues } from './zod-issues.js';

/**
 * Parses one server entry that did not come from the config file (an `/rpc` request carries one),
 * with the same schema and rules as an entry of `servers`, and the gateway's own defaults (sandbox,
 * timeouts, separator). Issues name the path the caller wrote, under `at`.
 *
 * No `${VAR}` interpolation: the entry comes from a caller, and interpolation would let it read
 * the gateway's own environment (its secrets) into a server it controls.
 */
export function parseServerEntry(name: string, raw: unknown, config: OutletConfig, at: PathSegment[]): { server?: ServerConfig; issues: ConfigIssue[] } {
  const parsed = serverEntrySchema.safeParse(raw, { error: configErrorMap });
  if (!parsed.success) {
    const issues = fromZodIssues(parsed.error.issues, serverEntrySchema).map((issue) => ({ ...issue, path: joinPath(at, issue.path) }));
    return { issues };
  }
  return normalizeServer(name, parsed.data, {
    path: at,
    separator: config.namespace.separator,
    defaultTimeoutMs: config.upstream.requestTimeoutMs,
    baseDir: process.cwd(),
    sandboxDefaults: config.sandbox,
    gatewayFiles: gatewayFilesOf(config),
  });
}

/** `at` + an issue's own path (formatted the way every config message is). */
function joinPath(at: PathSegment[], inner: string): string {
  const prefix = formatPath(at);
  if (inner === '' || inner === '(root)') return prefix;
  return inner.startsWith('[') ? `${prefix}${inner}` : `${prefix}.${inner}`;
}
