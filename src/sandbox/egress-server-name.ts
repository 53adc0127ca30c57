import { isIP } from 'node:net';
import type { Duplex } from 'node:stream';
import { canonicalHost } from '../config/egress-address.js';
import type { EgressContext } from './egress-context.js';
import { clientHelloName } from './tls-client-hello.js';

/**
 * Splices an open tunnel's client side to its destination once the client's first bytes show
 * where it is going. A tunnel opened to a listed name carries TLS for that name only: a
 * ClientHello that asks for another server name (SNI) is refused, since on a shared front (a
 * CDN, a multi-tenant host) the listed name's address would serve the other name too (domain
 * fronting). A tunnel to a listed address carries any name (the operator listed the address), and
 * a stream that is not TLS passes as it is. What travels inside TLS (the HTTP `Host` a client
 * sends once encrypted, an Encrypted Client Hello's inner name) cannot be read here.
 *
 * The destination's bytes flow to the client from the start (a server may speak first); the
 * client's are held until the first record is read, up to one TLS record's size.
 */
export function forwardAfterServerName(client: Duplex, upstream: Duplex, head: Buffer, target: { host: string; port: number }, ctx: EgressContext): void {
  upstream.pipe(client);
  if (isIP(target.host) !== 0) return splice(client, upstream, head);
  let held = head;
  const refuse = (reason: string): void => {
    ctx.refuse({ host: target.host, port: target.port, method: 'CONNECT', reason });
    client.destroy();
    upstream.destroy();
  };
  // True once decided. Waiting is bounded: the reader answers 'more' only within one record's size.
  const check = (): boolean => {
    const hello = clientHelloName(held);
    if (hello.kind === 'more') return false;
    if (hello.kind === 'malformed') refuse(`the tunnel to "${target.host}:${target.port}" began with ${hello.reason}; its server name cannot be checked`);
    else if (hello.kind === 'tls' && hello.serverName !== undefined && canonicalHost(hello.serverName) !== target.host) {
      refuse(`the tunnel to "${target.host}:${target.port}" asked TLS for "${hello.serverName}": a tunnel carries only the name it was opened for (sandbox.network.allow)`);
    } else splice(client, upstream, held);
    return true;
  };
  if (check()) return;
  const onData = (chunk: Buffer): void => {
    held = Buffer.concat([held, chunk]);
    if (check()) client.off('data', onData);
  };
  client.on('data', onData);
}

function splice(client: Duplex, upstream: Duplex, first: Buffer): void {
  if (first.length > 0) upstream.write(first);
  client.pipe(upstream);
}
