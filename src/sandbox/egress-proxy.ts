import { existsSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Duplex } from 'node:stream';
import type { EgressContext } from './egress-context.js';
import { decideDestination, systemLookup, type EgressLookup } from './egress-decision.js';
import type { EgressRule } from '../config/egress-rules.js';
import { forwardHttp } from './egress-forward-http.js';
import { openTunnel } from './egress-tunnel.js';
import type { EgressRefusal } from './types.js';

export interface EgressProxyOptions {
  /** Where to listen: a Unix socket path that does not exist yet. */
  socketPath: string;
  rules: readonly EgressRule[];
  /** Called once per refused destination request (403), after it is counted. */
  onRefused?: (refusal: EgressRefusal) => void;
  lookup?: EgressLookup;
  /** How long to wait for the destination to accept a connection (and, for HTTP, to answer). */
  connectTimeoutMs?: number;
  /** Client connections open at once; more are dropped. Each costs the gateway descriptors. Default 256. */
  maxConnections?: number;
}

export interface EgressProxy {
  readonly socketPath: string;
  /** Destinations refused so far. */
  readonly refused: number;
  /** Stops listening, cuts every connection (client and outbound) and removes the socket file. Idempotent. */
  close(): void;
}

/**
 * The gateway side of a sandboxed server's network allowlist: an HTTP proxy (CONNECT and
 * absolute-URI requests) on a Unix socket that is bound into one sandbox, enforcing that server's
 * rules. The socket is bound synchronously, so a spawn can be built without waiting; a bind that
 * fails throws here rather than leaving a server without a way out.
 *
 * @example
 * const proxy = startEgressProxy({ socketPath: '/tmp/outlet-egress-x/proxy.sock', rules: parseEgressRules(['api.github.com']) });
 * // ... later, once the process is gone:
 * proxy.close();
 */
export function startEgressProxy(options: EgressProxyOptions): EgressProxy {
  const lookup = options.lookup ?? systemLookup;
  const sockets = new Set<Duplex>();
  let refused = 0;
  let closed = false;
  const track = (socket: Duplex): void => {
    if (closed) {
      socket.destroy();
      return;
    }
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  };
  const ctx: EgressContext = {
    connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
    track,
    async decide(host, port, method) {
      const decision = await decideDestination(options.rules, host, port, lookup);
      if (!decision.allowed && decision.refused) ctx.refuse({ host, port, method, reason: decision.reason });
      return decision;
    },
    refuse(refusal) {
      refused++;
      options.onRefused?.(refusal);
    },
  };
  const server = createServer({ requireHostHeader: false });
  // A sandboxed server must not be able to spend the gateway's file descriptors.
  server.maxConnections = options.maxConnections ?? 256;
  server.on('connection', track);
  server.on('request', (req, res) => void forwardHttp(req, res, ctx));
  server.on('connect', (req, socket, head) => void openTunnel(req, socket, head, ctx));
  // WebSocket clients behind a proxy tunnel with CONNECT; an absolute-URI upgrade is not relayed.
  server.on('upgrade', (_req, socket: Duplex) => socket.destroy());
  server.on('clientError', (_err, socket: Duplex) => socket.destroy());
  // Listen errors arrive as events; without a listener one would crash the gateway.
  server.on('error', () => undefined);
  server.listen(options.socketPath);
  if (!existsSync(options.socketPath)) {
    server.close();
    throw new Error(`the egress proxy could not listen on ${options.socketPath}`);
  }
  return {
    socketPath: options.socketPath,
    get refused() {
      return refused;
    },
    close() {
      if (closed) return;
      closed = true;
      server.close();
      for (const socket of sockets) socket.destroy();
      // libuv unlinks the socket on close; removing it here as well keeps close() synchronous.
      rmSync(options.socketPath, { force: true });
    },
  };
}
