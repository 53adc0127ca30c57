import { resolve } from 'node:path';
import { containerEntryProblems } from './container-policy.js';
import { formatPath, type ConfigIssue, type PathSegment } from './issues.js';
import { callsSchema, healthSchema } from './calls-schema.js';
import { normalizeInstances } from './normalize-instances.js';
import { absoluteSandbox, resolveServerSandbox } from './normalize-sandbox.js';
import type { SandboxProfileInput } from './sandbox-schema.js';
import { TYPE_TO_TRANSPORT, type ServerEntryInput } from './server-schema.js';
import type { ServerCommon, ServerConfig } from './types.js';

/** What a server entry needs from the rest of the config to be normalized. */
export interface ServerContext {
  /** Path of the entry as written, e.g. `['mcpServers', 'fs']`. */
  path: PathSegment[];
  separator: string;
  defaultTimeoutMs: number;
  baseDir: string;
  /** The gateway-wide `sandbox` block, paths already absolute. */
  sandboxDefaults: SandboxProfileInput;
  /** The gateway's own files, hidden from every sandbox (gatewayFiles in normalize-sandbox.ts). */
  gatewayFiles?: string[];
}

const STDIO_ONLY = ['args', 'env', 'cwd', 'sandbox', 'instances'] as const;
const HTTP_ONLY = ['headers'] as const;

/** A URL whose path ends in `/sse` (trailing slashes ignored) is an old HTTP+SSE endpoint. */
function looksLikeSse(url: string): boolean {
  return new URL(url).pathname.replace(/\/+$/, '').endsWith('/sse');
}

/**
 * The prefix must be splittable from `<prefix><separator><name>` at the first separator: it may
 * not contain the separator, nor end in a way that forms one earlier (prefix "a_" with "__").
 */
function prefixProblem(prefix: string, separator: string): string | undefined {
  if (prefix.includes(separator)) return `contains the namespace separator "${separator}"`;
  if ((prefix + separator).indexOf(separator) !== prefix.length) return `ends with part of the namespace separator "${separator}"`;
  return undefined;
}

/**
 * Turns one validated entry into a {@link ServerConfig}: decides stdio versus HTTP, fills defaults,
 * resolves `cwd`, and reports cross-field mistakes with the path the user wrote.
 *
 * @example
 * normalizeServer('fs', { command: 'node' }, { path: ['servers', 'fs'], separator: '__', defaultTimeoutMs: 60000, baseDir: '/cfg' });
 * // { server: { name: 'fs', transport: 'stdio', command: 'node', cwd: '/cfg', ... }, issues: [] }
 */
export function normalizeServer(name: string, entry: ServerEntryInput, ctx: ServerContext): { server?: ServerConfig; issues: ConfigIssue[] } {
  const issues: ConfigIssue[] = [];
  const at = (...keys: PathSegment[]): string => formatPath([...ctx.path, ...keys]);

  const typed = entry.type === undefined ? undefined : TYPE_TO_TRANSPORT[entry.type];
  if (entry.transport !== undefined && typed !== undefined && typed !== entry.transport) {
    issues.push({ path: at('type'), message: `"${entry.type}" conflicts with transport "${entry.transport}"` });
  }
  const declared = entry.transport ?? typed;
  const declaredKey = entry.transport !== undefined ? 'transport' : 'type';

  if (entry.command !== undefined && entry.url !== undefined) {
    return { issues: [...issues, { path: at(), message: 'has both "command" and "url": a server is either stdio (command) or HTTP (url)' }] };
  }
  const hasStdioFields = STDIO_ONLY.some((k) => entry[k] !== undefined);
  const hasHttpFields = HTTP_ONLY.some((k) => entry[k] !== undefined);
  let kind: 'stdio' | 'http' | undefined;
  if (entry.command !== undefined) kind = 'stdio';
  else if (entry.url !== undefined) kind = 'http';
  else if (declared !== undefined) kind = declared === 'stdio' ? 'stdio' : 'http';
  else if (hasStdioFields !== hasHttpFields) kind = hasStdioFields ? 'stdio' : 'http';
  if (kind === undefined) {
    return { issues: [...issues, { path: at(), message: 'needs either "command" (stdio server) or "url" (HTTP server)' }] };
  }

  if (kind === 'stdio' && entry.command === undefined) issues.push({ path: at('command'), message: 'required' });
  if (kind === 'http' && entry.url === undefined) issues.push({ path: at('url'), message: 'required' });
  if (declared !== undefined && (declared === 'stdio') !== (kind === 'stdio')) {
    const wants = kind === 'stdio' ? 'a stdio server (command)' : 'an HTTP server (url)';
    issues.push({ path: at(declaredKey), message: `"${entry[declaredKey]}" does not fit ${wants}` });
  }
  for (const key of kind === 'stdio' ? HTTP_ONLY : STDIO_ONLY) {
    if (entry[key] !== undefined) issues.push({ path: at(key), message: `only applies to ${kind === 'stdio' ? 'HTTP servers (url)' : 'stdio servers (command)'}` });
  }

  const prefix = entry.prefix ?? name;
  const problem = prefixProblem(prefix, ctx.separator);
  if (problem !== undefined) {
    const hint = entry.prefix === undefined ? '; set "prefix" to another value' : '';
    issues.push({ path: entry.prefix === undefined ? at() : at('prefix'), message: `${entry.prefix === undefined ? 'server name' : 'prefix'} "${prefix}" ${problem}${hint}` });
  }
  if (issues.length > 0) return { issues };

  const common: ServerCommon = {
    name,
    enabled: entry.enabled ?? true,
    prefix,
    tools: { include: entry.tools?.include ?? [], exclude: entry.tools?.exclude ?? [] },
    timeoutMs: entry.timeoutMs ?? ctx.defaultTimeoutMs,
    protocol: entry.protocol ?? 'auto',
    calls: entry.calls ?? callsSchema.parse({}),
    health: entry.health ?? healthSchema.parse({}),
    ...(entry.codeMode ? { codeMode: entry.codeMode } : {}),
  };
  if (kind === 'stdio') {
    const sandbox = resolveServerSandbox(absoluteSandbox(entry.sandbox, ctx.baseDir), ctx.sandboxDefaults, [...ctx.path, 'sandbox'], ctx.gatewayFiles);
    if (!sandbox.profile) return { issues: sandbox.issues };
    const container = containerEntryProblems(entry.command as string, entry.args ?? [], sandbox.profile);
    if (container.length > 0) return { issues: container.map((message) => ({ path: at('args'), message })) };
    // Only written blocks are carried: an entry without one stays exactly as before (shared).
    const instances = entry.instances ? normalizeInstances(entry.instances, [...ctx.path, 'instances']) : undefined;
    if (instances && !instances.instances) return { issues: instances.issues };
    const cwd = resolve(ctx.baseDir, entry.cwd ?? '.');
    const server: ServerConfig = {
      ...common,
      transport: 'stdio',
      command: entry.command as string,
      args: entry.args ?? [],
      env: entry.env ?? {},
      cwd,
      sandbox: sandbox.profile,
      ...(instances?.instances ? { instances: instances.instances } : {}),
    };
    return { server, issues };
  }
  const url = entry.url as string;
  const transport = declared === 'sse' || declared === 'streamable-http' ? declared : looksLikeSse(url) ? 'sse' : 'streamable-http';
  return { server: { ...common, transport, url, headers: entry.headers ?? {} }, issues };
}
