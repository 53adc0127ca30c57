import type { IncomingMessage } from 'node:http';
import { connect } from 'node:net';
import type { Duplex } from 'node:stream';
import { canonicalHost } from '../config/egress-address.js';
import { rejectTunnel, type EgressContext } from './egress-context.js';
import { forwardAfterServerName } from './egress-server-name.js';

/**
 * Handles `CONNECT host:port`: decides the destination, then splices the client's socket to a TCP
 * connection to the checked address, once the client's TLS server name, if it sends one, is the
 * name the tunnel was opened for (egress-server-name.ts). Beyond that first record the bytes are
 * not looked at: the allowlist governs where a tunnel goes, not what travels through it.
 *
 * @example
 * server.on('connect', (req, socket, head) => void openTunnel(req, socket, head, ctx));
 */
export async function openTunnel(req: IncomingMessage, client: Duplex, head: Buffer, ctx: EgressContext): Promise<void> {
  // The HTTP server no longer listens for errors on a socket it handed over; an unhandled one
  // would take the gateway down.
  client.on('error', () => client.destroy());
  const target = parseAuthority(req.url ?? '');
  if (!target) return rejectTunnel(client, 400, `CONNECT needs host:port, got "${req.url ?? ''}"`);
  const decision = await ctx.decide(target.host, target.port, 'CONNECT');
  if (!decision.allowed) return rejectTunnel(client, decision.status, decision.reason);
  if (client.destroyed) return;

  const upstream = connect({ host: decision.address, port: target.port, timeout: ctx.connectTimeoutMs });
  ctx.track(upstream);
  let open = false;
  upstream.once('timeout', () => upstream.destroy(new Error(`no answer within ${ctx.connectTimeoutMs} ms`)));
  upstream.once('connect', () => {
    open = true;
    upstream.setTimeout(0); // a quiet tunnel (a long poll, an idle stream) is not a failure
    client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    forwardAfterServerName(client, upstream, head, target, ctx);
  });
  upstream.on('error', (err) => {
    if (open) client.destroy();
    else rejectTunnel(client, 502, `cannot reach ${req.url}: ${(err as NodeJS.ErrnoException).code ?? err.message}`);
  });
  // An end travels through the pipes (bytes still buffered get delivered); only a closed client
  // has nobody left to deliver to.
  client.once('close', () => upstream.destroy());
}

/** `host:port` or `[v6]:port`, with the host in the allowlist's canonical form. */
function parseAuthority(authority: string): { host: string; port: number } | undefined {
  const match = /^(\[[0-9a-fA-F:.]+\]|[^\s:[\]/@]+):(\d{1,5})$/.exec(authority);
  if (!match) return undefined;
  const host = canonicalHost(match[1]!.replace(/^\[(.*)\]$/, '$1'));
  const port = Number(match[2]);
  return host !== undefined && port >= 1 && port <= 65535 ? { host, port } : undefined;
}
