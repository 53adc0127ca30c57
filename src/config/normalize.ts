import { resolve as resolvePath } from 'node:path';
import { formatPath, throwIfIssues, type ConfigIssue } from './issues.js';
import type { ConfigInput } from './gateway-schema.js';
import { absoluteSandbox, gatewayFilesOf } from './normalize-sandbox.js';
import { normalizeServer } from './normalize-server.js';
import type { OutletConfig, ServerConfig } from './types.js';
import { normalizeSecurity } from './auth-schema.js';

/** Where the config came from, for resolving relative paths and for the result's `source`. */
export interface NormalizeContext {
  baseDir: string;
  source?: string;
}

/** The two keys a server map may live under, in the order the user wrote them. */
function serverMapKeys(raw: unknown): ('servers' | 'mcpServers')[] {
  if (raw === null || typeof raw !== 'object') return [];
  return Object.keys(raw).filter((k): k is 'servers' | 'mcpServers' => k === 'servers' || k === 'mcpServers');
}

/**
 * Builds the {@link OutletConfig} from schema-valid input and checks the rules that span entries:
 * a name defined under both `servers` and `mcpServers`, and two enabled servers sharing a prefix.
 * `raw` is the pre-validation object, consulted only for the order of its keys.
 *
 * @example
 * normalizeConfig(configInputSchema.parse({ servers: { fs: { command: 'node' } } }), raw, { baseDir: '/cfg' });
 */
export function normalizeConfig(input: ConfigInput, raw: unknown, ctx: NormalizeContext): OutletConfig {
  const issues: ConfigIssue[] = [];
  const servers: Record<string, ServerConfig> = {};
  const definedAt = new Map<string, string>();
  const prefixOwner = new Map<string, string>();
  const sandbox = absoluteSandbox(input.sandbox, ctx.baseDir);
  const security = normalizeSecurity(input, ctx.baseDir);
  const hidden = gatewayFilesOf({ ...(ctx.source !== undefined ? { source: ctx.source } : {}), ...security, observability: input.observability });

  for (const mapKey of serverMapKeys(raw)) {
    for (const [name, entry] of Object.entries(input[mapKey] ?? {})) {
      const path = [mapKey, name];
      const earlier = definedAt.get(name);
      if (earlier !== undefined) {
        issues.push({ path: formatPath(path), message: `server "${name}" is also defined at ${earlier}` });
        continue;
      }
      definedAt.set(name, formatPath(path));
      const result = normalizeServer(name, entry, {
        path,
        separator: input.namespace.separator,
        defaultTimeoutMs: input.upstream.requestTimeoutMs,
        baseDir: ctx.baseDir,
        sandboxDefaults: sandbox,
        gatewayFiles: hidden,
      });
      issues.push(...result.issues);
      const server = result.server;
      if (server === undefined) continue;
      servers[name] = server;
      if (!server.enabled) continue;
      const owner = prefixOwner.get(server.prefix);
      if (owner !== undefined) {
        const where = formatPath(entry.prefix === undefined ? path : [...path, 'prefix']);
        issues.push({ path: where, message: `prefix "${server.prefix}" is already used by ${owner}; prefixes of enabled servers must be unique` });
      } else {
        prefixOwner.set(server.prefix, formatPath(path));
      }
    }
  }
  throwIfIssues(issues, ctx.source === undefined ? undefined : { source: ctx.source });

  const config: OutletConfig = {
    listen: input.listen,
    namespace: input.namespace,
    startup: input.startup,
    upstream: input.upstream,
    http: input.http,
    reload: input.reload,
    sandbox,
    ...(input.limits ? { limits: input.limits } : {}),
    observability: input.observability,
    // rpc.sandbox is a sandbox block minus some keys: its mount paths are relative to the config file too.
    rpc: { ...input.rpc, sandbox: absoluteSandbox(input.rpc.sandbox, ctx.baseDir) as typeof input.rpc.sandbox },
    packages: input.packages.cacheDir ? { ...input.packages, cacheDir: resolvePath(ctx.baseDir, input.packages.cacheDir) } : input.packages,
    codeMode: input.codeMode,
    servers,
    ...security,
  };
  if (ctx.source !== undefined) config.source = ctx.source;
  return config;
}
