import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { configJsonSchema, loadConfigFile, type ConfigIssue } from '../config/index.js';
import { isOutletError } from '../errors/index.js';
import { startOutlet } from '../outlet/runtime.js';
import { Gateway } from '../gateway/gateway.js';
import { serveGatewayOverStdio } from '../inbound/stdio/stdio-inbound.js';
import { createLogger } from '../observability/logger.js';
import { resolveConfig } from '../outlet/runtime.js';
import { openClient, type ClientTarget } from './client-session.js';
import { printConfigWarnings } from './config-warnings.js';
import { remoteSource, readyOf } from './remote-ready.js';
import { awaitLocalServers, awaitServers, parseWaitMs, printDown, serverOfTool } from './server-wait.js';
import { explainingFetch } from '../upstream/network-error.js';

/** Exit codes: 0 ok, 1 the tool or call failed, 2 bad input (config, arguments). */
export const EXIT_TOOL_ERROR = 1;
export const EXIT_BAD_INPUT = 2;

export async function serveCommand(opts: { config?: string; host?: string; port?: string; drainMs?: string }): Promise<void> {
  const port = opts.port === undefined ? undefined : Number(opts.port);
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) throw usage(`--port: expected a port number, got "${opts.port}"`);
  // Loaded here rather than by startOutlet so its warnings reach the terminal before the servers start.
  const config = opts.config ? await loadConfigFile(opts.config) : undefined;
  if (config) printConfigWarnings(config);
  const runtime = await startOutlet({
    ...(opts.config ? { configPath: opts.config } : {}),
    ...(config ? { config } : {}),
    ...(opts.host ? { host: opts.host } : {}),
    ...(port !== undefined ? { port } : {}),
    handleSignals: true,
  });
  console.error(`mcp-outlet serving ${runtime.url}/mcp`);
  const graceMs = Number(opts.drainMs ?? 10_000);
  let stopping = false;
  const shutdown = () => {
    // A second signal while draining means "now".
    if (stopping) process.exit(1);
    stopping = true;
    console.error(`mcp-outlet draining (up to ${graceMs} ms), then stopping`);
    void runtime.close({ graceMs }).then(() => process.exit(0));
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

export async function stdioCommand(opts: { config?: string } & WaitOption): Promise<void> {
  const waitMs = waitOption(opts.waitMs);
  const config = await resolveConfig(opts.config);
  printConfigWarnings(config);
  const gateway = await Gateway.start(config, { logger: createLogger(process.env.OUTLET_LOG_LEVEL ?? 'warn') });
  // Progress and the servers that did not come up go to stderr: the desktop client's server log.
  const started = awaitLocalServers(gateway, waitMs).then((down) => {
    printDown(down, waitMs);
  });
  serveGatewayOverStdio(gateway, { firstListReady: started });
  const shutdown = () => {
    void gateway.close().then(() => process.exit(0));
  };
  process.stdin.once('end', shutdown);
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

/** `--wait-ms` of list and call: how long to wait for servers still starting. */
export interface WaitOption {
  waitMs?: string;
}

export async function listCommand(opts: ClientTarget & WaitOption & { json?: boolean }): Promise<number> {
  const waitMs = waitOption(opts.waitMs);
  const session = await openClient(opts);
  try {
    // Every server is needed: a list that silently leaves out a server still installing misleads.
    const down = session.gateway ? await awaitLocalServers(session.gateway, waitMs) : session.url ? await awaitRemote(session.url, opts.token, waitMs) : [];
    const { tools } = await session.client.listTools();
    if (opts.json) console.log(JSON.stringify(tools, null, 2));
    else for (const tool of tools) console.log(tool.description ? `${tool.name}\t${firstLine(tool.description)}` : tool.name);
    printDown(down, waitMs);
    return down.length > 0 ? EXIT_TOOL_ERROR : 0;
  } finally {
    await session.close();
  }
}

export async function callCommand(tool: string, opts: ClientTarget & WaitOption & { args?: string }): Promise<number> {
  let args: Record<string, unknown> = {};
  if (opts.args !== undefined) {
    try {
      args = JSON.parse(opts.args) as Record<string, unknown>;
    } catch (err) {
      throw usage(`--args: not valid JSON (${(err as Error).message})`);
    }
    if (typeof args !== 'object' || args === null || Array.isArray(args)) throw usage('--args: expected a JSON object');
  }
  const waitMs = waitOption(opts.waitMs);
  const session = await openClient(opts);
  try {
    if (session.gateway) {
      // Only the server the tool belongs to is needed (every server when its prefix names none).
      const owner = serverOfTool(session.gateway, tool);
      const down = await awaitLocalServers(session.gateway, waitMs, owner ? [owner] : undefined);
      printDown(down, waitMs);
      if (owner && down.length > 0) {
        console.error(`outlet: not calling "${tool}": its server is not connected`);
        return EXIT_TOOL_ERROR;
      }
    }
    const result = await session.client.callTool({ name: tool, arguments: args });
    console.log(JSON.stringify(result, null, 2));
    return result.isError ? EXIT_TOOL_ERROR : 0;
  } finally {
    await session.close();
  }
}

/** A running gateway's servers, read from its `/ready`; progress unless OUTLET_LOG_LEVEL is above warn. */
function awaitRemote(mcpUrl: URL, token: string | undefined, waitMs: number) {
  const ready = readyOf(mcpUrl);
  const quiet = ['error', 'fatal', 'silent'].includes(process.env.OUTLET_LOG_LEVEL ?? 'warn');
  return awaitServers(remoteSource(ready.url, token), waitMs, { ...(ready.server ? { servers: [ready.server] } : {}), quiet });
}

function waitOption(text: string | undefined): number {
  const ms = parseWaitMs(text);
  if (ms === undefined) throw usage(`--wait-ms: expected a whole number of milliseconds, got "${text}"`);
  return ms;
}

/** Prints a running gateway's recent console lines of one server. */
export async function logsCommand(server: string, opts: { url?: string; limit?: string; json?: boolean; token?: string }): Promise<void> {
  const base = new URL(opts.url ?? 'http://127.0.0.1:3000');
  const headers: Record<string, string> = opts.token ? { authorization: `Bearer ${opts.token}` } : {};
  const res = await explainingFetch()(new URL(`/api/servers/${encodeURIComponent(server)}/logs?limit=${Number(opts.limit ?? 200)}`, base), { headers });
  const body = (await res.json().catch(() => ({}))) as { lines?: { ts: number; stream: string; line: string }[]; error?: string; error_description?: string };
  if (res.status === 401) throw usage(`the gateway at ${base.origin} ${opts.token ? 'refused the token (401): check --token / $OUTLET_TOKEN' : 'requires authentication: pass --token <token> or set $OUTLET_TOKEN'}`);
  if (!res.ok) throw usage(body.error_description ?? body.error ?? `the gateway answered ${res.status}`);
  if (opts.json) console.log(JSON.stringify(body.lines, null, 2));
  else for (const l of body.lines ?? []) console.log(`${new Date(l.ts).toISOString()} ${l.stream} ${l.line}`);
}

/** What `outlet validate --json` prints. */
export interface ValidateReport {
  valid: boolean;
  file: string;
  servers: string[];
  /** Each problem with the path it is at (a config key path, or "line L, column C" for syntax). */
  issues: ConfigIssue[];
  warnings: ConfigIssue[];
}

/** Checks a config file; returns the exit code (2 when the file is not valid). */
export async function validateCommand(file: string, opts: { json?: boolean } = {}): Promise<number> {
  if (!opts.json) {
    const config = await loadConfigFile(file);
    printConfigWarnings(config);
    const names = Object.keys(config.servers);
    console.log(`${file}: valid (${names.length} server${names.length === 1 ? '' : 's'}: ${names.join(', ') || 'none'})`);
    return 0;
  }
  const report: ValidateReport = { valid: true, file: resolve(file), servers: [], issues: [], warnings: [] };
  try {
    const config = await loadConfigFile(file);
    report.servers = Object.keys(config.servers);
    report.warnings = config.warnings ?? [];
  } catch (err) {
    if (!isOutletError(err) || err.code !== 'CONFIG_INVALID') throw err;
    report.valid = false;
    report.issues = (err.data?.issues as ConfigIssue[] | undefined) ?? [{ path: '(root)', message: err.message }];
  }
  console.log(JSON.stringify(report, null, 2));
  return report.valid ? 0 : EXIT_BAD_INPUT;
}

export function schemaCommand(opts: { out?: string }): void {
  const text = JSON.stringify(configJsonSchema(), null, 2);
  if (opts.out) writeFileSync(opts.out, text + '\n');
  else console.log(text);
}

/** Prints an error the way a user can act on it and returns the exit code. */
export function reportError(err: unknown): number {
  if (isOutletError(err)) {
    console.error(`outlet: ${err.message}`);
    return err.code === 'CONFIG_INVALID' || err.code === 'INVALID_PARAMS' ? EXIT_BAD_INPUT : EXIT_TOOL_ERROR;
  }
  if (err instanceof UsageError) {
    console.error(`outlet: ${err.message}`);
    return EXIT_BAD_INPUT;
  }
  console.error(`outlet: ${err instanceof Error ? err.message : String(err)}`);
  return EXIT_TOOL_ERROR;
}

class UsageError extends Error {}
function usage(message: string): UsageError {
  return new UsageError(message);
}

function firstLine(text: string): string {
  const line = text.split('\n')[0] ?? '';
  return line.length > 100 ? `${line.slice(0, 97)}...` : line;
}
