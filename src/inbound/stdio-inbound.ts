import type { Server } from '@modelcontextprotocol/server';
import { serveStdio, type StdioServerHandle } from '@modelcontextprotocol/server/stdio';
import type { Gateway } from '../gateway/gateway.js';

/**
 * Serves the whole catalog as one stdio MCP server (`outlet stdio`), for desktop clients that
 * launch their servers as commands. Both eras: the SDK's `serveStdio` picks the era from the
 * opening message and pins one instance for the connection.
 */
export function serveGatewayOverStdio(gateway: Gateway): StdioServerHandle {
  let pinned: Server | undefined;
  let unregister: (() => void) | undefined;
  const handle = serveStdio((ctx) => {
    const { server, sessionKey } = gateway.createServer({ kind: 'aggregate' }, { era: ctx.era, transport: 'stdio' });
    // serveStdio may build a throwaway instance for a server/discover probe: the last one built serves.
    unregister?.();
    unregister = gateway.sessions.add({ key: sessionKey, scope: { kind: 'aggregate' }, server });
    pinned = server;
    return server;
  });
  gateway.onListsChanged((kinds) => {
    const server = pinned;
    if (!server) return;
    if (kinds.has('tools')) void server.sendToolListChanged().catch(() => undefined);
    if (kinds.has('prompts')) void server.sendPromptListChanged().catch(() => undefined);
    if (kinds.has('resources')) void server.sendResourceListChanged().catch(() => undefined);
  });
  return handle;
}
