import type { JSONRPCMessage, Server } from '@modelcontextprotocol/server';
import { StdioServerTransport, serveStdio, type StdioServerHandle } from '@modelcontextprotocol/server/stdio';
import type { Gateway } from '../../gateway/gateway.js';
import { sessionOf } from '../../protocol/session-registry.js';
import { ListenSubscriptions, listenedUris } from '../../protocol/listen-subscriptions.js';
import { HeldListTransport } from '../../protocol/held-list-transport.js';
import { guardStdinLines } from './stdio-line-guard.js';
import { WatchedTransport } from './watched-stdio-transport.js';

/**
 * Serves the whole catalog as one stdio MCP server (`outlet stdio`), for desktop clients that
 * launch their servers as commands. Both eras: the SDK's `serveStdio` picks the era from the
 * opening message and pins one instance for the connection. List requests are held until
 * `firstListReady` settles (the caller's bounded wait for servers still starting).
 */
export function serveGatewayOverStdio(gateway: Gateway, options: { firstListReady?: Promise<unknown> } = {}): StdioServerHandle {
  let pinned: Server | undefined;
  let unregister: (() => void) | undefined;
  // A 2026 client's subscriptions/listen streams: the URIs are subscribed upstream while a stream
  // is open; updates reach the pinned instance, which the SDK puts on the matching stream.
  const listens = new ListenSubscriptions({
    key: 'stdio:listen',
    scope: { kind: 'aggregate' },
    sessions: gateway.sessions,
    hub: gateway.subscriptions,
    ownerOf: (uri) => gateway.ownerOf(uri),
    publish: (uri) => void pinned?.notification({ method: 'notifications/resources/updated', params: { uri } }).catch(() => undefined),
  });
  const releases = new Map<string | number, () => void>();
  const watch = (message: JSONRPCMessage) => {
    const m = message as { id?: string | number; method?: string; params?: { requestId?: string | number } };
    const uris = listenedUris(message);
    if (uris?.length && m.id !== undefined) releases.set(m.id, listens.open(uris));
    if (m.method === 'notifications/cancelled' && m.params?.requestId !== undefined) {
      releases.get(m.params.requestId)?.();
      releases.delete(m.params.requestId);
    }
  };
  const stdin = guardStdinLines(process.stdin, (line) => void process.stdout.write(line), gateway.config.http.maxJsonDepth);
  const transport = new WatchedTransport(new StdioServerTransport(stdin, process.stdout), watch);
  const handle = serveStdio(
    (ctx) => {
      const { server, sessionKey } = gateway.createServer({ kind: 'aggregate' }, { era: ctx.era, transport: 'stdio' });
      // serveStdio may build a throwaway instance for a server/discover probe: the last one built serves.
      unregister?.();
      unregister = gateway.sessions.add(sessionOf(sessionKey, { kind: 'aggregate' }, server));
      pinned = server;
      return server;
    },
    // The first list waits (bounded by the caller) for servers still starting: see held-list-transport.ts.
    { transport: options.firstListReady ? new HeldListTransport(transport, options.firstListReady) : transport },
  );
  gateway.onListsChanged((kinds) => {
    const server = pinned;
    if (!server) return;
    if (kinds.has('tools')) void server.sendToolListChanged().catch(() => undefined);
    if (kinds.has('prompts')) void server.sendPromptListChanged().catch(() => undefined);
    if (kinds.has('resources')) void server.sendResourceListChanged().catch(() => undefined);
  });
  return handle;
}
