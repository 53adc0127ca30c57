import { request } from 'node:http';
import { connect as netConnect, isIP, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import type { Duplex } from 'node:stream';
import type { Destination } from './destination.js';

/** Bytes of a proxy's refusal body kept for the error message. */
const REFUSAL_BYTES = 2048;

/**
 * A connection to one destination: through the proxy with CONNECT (for http too, so that a refusal
 * by the egress proxy is always a CONNECT answer, never mistaken for the destination's own 403),
 * or straight to the address the guard checked. https is wrapped in TLS for the URL's host name
 * (SNI and certificate check), so the checked name is the one the certificate must prove.
 */
export async function openConnection(destination: Destination, proxy: URL | undefined, signal: AbortSignal): Promise<Duplex> {
  const raw = proxy ? await tunnel(destination.authority, proxy, signal) : await direct(destination, signal);
  if (destination.url.protocol !== 'https:') return raw;
  const secure = tlsConnect({ socket: raw as Socket, ALPNProtocols: ['http/1.1'], ...(isIP(destination.host) === 0 ? { servername: destination.host } : {}) });
  return settle(secure, 'secureConnect', signal, destination.authority);
}

function direct(destination: Destination, signal: AbortSignal): Promise<Duplex> {
  if (destination.address === undefined) return Promise.reject(new Error(`no checked address for ${destination.authority}`));
  return settle(netConnect({ host: destination.address, port: destination.port }), 'connect', signal, destination.authority);
}

/** Resolves once `event` fires; rejects on error or abort, destroying the socket. */
function settle<S extends Duplex>(socket: S, event: string, signal: AbortSignal, authority: string): Promise<S> {
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      socket.destroy();
      reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
    };
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    socket.once(event, () => {
      signal.removeEventListener('abort', onAbort);
      resolve(socket);
    });
    socket.once('error', (err: NodeJS.ErrnoException) => {
      signal.removeEventListener('abort', onAbort);
      reject(new Error(`cannot reach ${authority}: ${err.code ?? err.message}`));
    });
  });
}

function tunnel(authority: string, proxy: URL, signal: AbortSignal): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    const req = request({ host: proxy.hostname.replace(/^\[(.*)\]$/, '$1'), port: proxy.port === '' ? 80 : Number(proxy.port), method: 'CONNECT', path: authority, headers: { host: authority }, agent: false, signal });
    req.once('connect', (res, socket, head) => {
      if (res.statusCode === 200) {
        if (head.length > 0) socket.unshift(head);
        return resolve(socket);
      }
      // A refusal: its body says why (the egress proxy names itself and the rule).
      let body = head.toString('utf8');
      const done = (): void => {
        socket.destroy();
        reject(new Error(`the proxy refused ${authority} (${res.statusCode}): ${body.trim().slice(0, REFUSAL_BYTES) || res.statusMessage}`));
      };
      socket.on('data', (chunk: Buffer) => {
        body += chunk.toString('utf8');
        if (body.length >= REFUSAL_BYTES) done();
      });
      socket.once('end', done);
      socket.once('error', done);
    });
    req.once('error', (err: NodeJS.ErrnoException) => reject(signal.aborted && signal.reason instanceof Error ? signal.reason : new Error(`cannot reach the proxy ${proxy.host}: ${err.code ?? err.message}`)));
    req.end();
  });
}
