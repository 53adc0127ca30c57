import type { Gateway } from '../gateway/gateway.js';
import { remoteSource, readyOf } from './remote-ready.js';
import { awaitLocalServers, awaitServers, describeDown } from './server-wait.js';
import { listInProcess, listRemote, type ServerTools, type ToolLists } from './tool-lists.js';

/**
 * The lists of a gateway started in this process, once its servers are up (or `waitMs` has
 * passed): the aggregate, and each connected server through its own endpoint.
 */
export async function readLocalToolLists(gateway: Gateway, waitMs: number): Promise<ToolLists> {
  const down = await awaitLocalServers(gateway, waitMs);
  const missing = new Set(down.map((s) => s.name));
  const servers: ServerTools[] = [];
  // By name, as a remote gateway's /ready lists them, so both ways give the same table.
  for (const { name } of gateway.supervisor.status()) {
    if (missing.has(name)) continue;
    servers.push({ server: name, tools: await listInProcess(gateway, { kind: 'server', server: name }) });
  }
  return { aggregate: await listInProcess(gateway, { kind: 'aggregate' }), servers, down: describeDown(down, waitMs) };
}

/**
 * The lists of a running gateway: `tools/list` of `mcpUrl`, and per server that of
 * `/servers/<name>/mcp` beside it, for each server its `/ready` names. A URL that is one server's
 * endpoint is that server's row and the aggregate at once.
 */
export async function readRemoteToolLists(mcpUrl: URL, token: string | undefined, waitMs: number): Promise<ToolLists> {
  const ready = readyOf(mcpUrl);
  const source = remoteSource(ready.url, token);
  const quiet = ['error', 'fatal', 'silent'].includes(process.env.OUTLET_LOG_LEVEL ?? 'warn');
  const down = await awaitServers(source, waitMs, { ...(ready.server ? { servers: [ready.server] } : {}), quiet });
  const aggregate = await listRemote(mcpUrl, token);
  if (ready.server) return { aggregate, servers: [{ server: ready.server, tools: aggregate }], down: describeDown(down, waitMs) };
  const missing = new Set(down.map((s) => s.name));
  const names = (await source()).map((s) => s.name).filter((name) => !missing.has(name));
  if (names.length === 0 && aggregate.length > 0) {
    return { aggregate, servers: [], down: describeDown(down, waitMs), note: `no per-server rows: ${ready.url.href} named no servers (not readable with these credentials?)` };
  }
  const servers: ServerTools[] = [];
  for (const name of names) servers.push({ server: name, tools: await listRemote(serverUrl(mcpUrl, name), token) });
  return { aggregate, servers, down: describeDown(down, waitMs) };
}

/** `…/mcp` -> `…/servers/<name>/mcp`, keeping a path prefix (a gateway behind a proxy). */
export function serverUrl(mcpUrl: URL, name: string): URL {
  const base = mcpUrl.pathname.replace(/\/mcp\/?$/, '');
  return new URL(`${base}/servers/${encodeURIComponent(name)}/mcp`, mcpUrl.origin);
}
