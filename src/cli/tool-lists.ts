import { Client, InMemoryTransport, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { Tool } from '@modelcontextprotocol/server';
import type { RequestScope } from '../policy/call-context.js';
import type { Gateway } from '../gateway/gateway.js';
import { explainingFetch } from '../upstream/network-error.js';
import { explainRefusal } from './client-session.js';
import { PACKAGE_VERSION } from './version.js';

/** A server's tools as its own endpoint lists them (`/servers/<name>/mcp`: its own names). */
export interface ServerTools {
  server: string;
  tools: Tool[];
}

/** What `outlet tokens` measures: the aggregate list and each server's own. */
export interface ToolLists {
  /** `tools/list` of the aggregate endpoint (`/mcp`: namespaced names), as a client of it gets it. */
  aggregate: Tool[];
  servers: ServerTools[];
  /** Servers that did not come up within the wait: one line each saying why. */
  down: string[];
  /** Set when per-server rows could not be read (with `--url`, a gateway whose `/ready` is not readable). */
  note?: string;
}

/** Every page of `tools/list`: a gateway may paginate, and a count over the first page alone would be short. */
export async function listAllTools(client: Client): Promise<Tool[]> {
  const tools: Tool[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.listTools(cursor === undefined ? {} : { cursor });
    tools.push(...page.tools);
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return tools;
}

/**
 * A client speaking the 2025-11-25 era, as the desktop clients of today do: what a server lists
 * differs a little between eras (2025-11-25 tools carry `execution`), so both ways of measuring
 * (in process and `--url`) use the same one and their figures compare.
 */
function eraClient(): Client {
  return new Client({ name: 'outlet-tokens', version: PACKAGE_VERSION });
}

/** `tools/list` of a running gateway's endpoint (Streamable HTTP), with a bearer token when given. */
export async function listRemote(url: URL, token: string | undefined): Promise<Tool[]> {
  const client = eraClient();
  const transport = new StreamableHTTPClientTransport(url, { fetch: explainingFetch(), ...(token ? { authProvider: { token: () => Promise.resolve(token) } } : {}) });
  try {
    await client.connect(transport);
  } catch (err) {
    throw explainRefusal(err, url, token !== undefined);
  }
  try {
    return await listAllTools(client);
  } finally {
    await client.close();
  }
}

/**
 * `tools/list` of one endpoint of a gateway in this process, through an in-memory MCP session: the
 * same surface (and the same policies on the way out) a client of `/mcp` or `/servers/<name>/mcp` sees.
 */
export async function listInProcess(gateway: Gateway, scope: RequestScope): Promise<Tool[]> {
  const client = eraClient();
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const { server } = gateway.createServer(scope, { era: 'legacy', transport: 'stdio' });
  await server.connect(serverSide);
  await client.connect(clientSide);
  try {
    return await listAllTools(client);
  } finally {
    await client.close();
  }
}
