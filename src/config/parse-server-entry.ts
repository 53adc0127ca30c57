import { inlineEnvRefusal } from './inline-env.js';
import { inlineCwdRefusal, inlineServerEntrySchema, operatorKeyRefusal } from './inline-server-schema.js';
import { formatPath, type ConfigIssue, type PathSegment } from './issues.js';
import { gatewayFilesOf } from './normalize-sandbox.js';
import { normalizeServer } from './normalize-server.js';
import type { SandboxProfileInput } from './sandbox-schema.js';
import type { OutletConfig, ServerConfig } from './types.js';
import { configErrorMap, fromZodIssues } from './zod-issues.js';

/** An inline entry: parsed, or refused (`refused`: a key, variable or cwd the caller may not set), or invalid (`issues`). */
export interface InlineEntry {
  server?: ServerConfig;
  issues: ConfigIssue[];
  refused?: string;
}

/**
 * Parses the server an `/rpc` request describes (`_meta["outlet/server"]`) as an untrusted
 * tenant's: only the caller keys of inline-server-schema.ts, no variable that changes how code is
 * loaded, a cwd inside its own scratch; the cage is the operator's `rpc.sandbox` (bubblewrap, no
 * fallback, no binds from the request), with the gateway-wide sandbox limits as defaults.
 */
export function parseInlineServerEntry(raw: unknown, config: OutletConfig, at: PathSegment[]): InlineEntry {
  if (raw !== null && typeof raw === 'object' && !Array.isArray(raw)) {
    const refusals = Object.keys(raw).flatMap((key) => {
      const why = operatorKeyRefusal(key);
      return why ? [`${joinPath(at, key)}: ${why}`] : [];
    });
    if (refusals.length > 0) return { issues: [], refused: refusals.join('\n') };
  }
  const parsed = inlineServerEntrySchema.safeParse(raw, { error: configErrorMap });
  if (!parsed.success) {
    return { issues: fromZodIssues(parsed.error.issues, inlineServerEntrySchema).map((issue) => ({ ...issue, path: joinPath(at, issue.path) })) };
  }
  const entry = parsed.data;
  const cwd = entry.cwd;
  const refusals: string[] = [];
  for (const variable of Object.keys(entry.env ?? {})) {
    const why = inlineEnvRefusal(variable);
    if (why) refusals.push(`${joinPath(at, 'env')}.${variable}: ${why}`);
  }
  const cwdWhy = cwd !== undefined ? inlineCwdRefusal(cwd) : undefined;
  if (cwdWhy) refusals.push(`${joinPath(at, 'cwd')}: ${cwdWhy}`);
  if (refusals.length > 0) return { issues: [], refused: refusals.join('\n') };
  // The cage is added to what will be a stdio entry only; on an HTTP one it would read as the caller's mistake.
  const stdio = entry.url === undefined && (entry.transport ?? entry.type ?? 'stdio') === 'stdio';
  const normalized = normalizeServer('inline', stdio ? { ...entry, sandbox: inlineSandbox(config) } : entry, {
    path: at,
    separator: config.namespace.separator,
    defaultTimeoutMs: config.upstream.requestTimeoutMs,
    baseDir: process.cwd(),
    sandboxDefaults: {},
    gatewayFiles: gatewayFilesOf(config),
  });
  // A relative cwd stays relative: the sandbox resolves it under the scratch of each process.
  if (normalized.server?.transport === 'stdio') normalized.server = { ...normalized.server, cwd: cwd ?? '.' };
  return normalized;
}

/** The operator's cage for every inline server; the gateway-wide limits fill what rpc.sandbox leaves out. */
function inlineSandbox(config: OutletConfig): SandboxProfileInput {
  const own = config.rpc.sandbox;
  return { ...own, backend: 'bubblewrap', allowFallback: false, autoMounts: false, limits: { ...config.sandbox.limits, ...own.limits } };
}

/** `at` + an issue's own path (formatted the way every config message is). */
function joinPath(at: PathSegment[], inner: string): string {
  const prefix = formatPath(at);
  if (inner === '' || inner === '(root)') return prefix;
  return inner.startsWith('[') ? `${prefix}${inner}` : `${prefix}.${inner}`;
}
