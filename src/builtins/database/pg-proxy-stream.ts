import { connect, type Socket } from 'node:net';
import { Duplex } from 'node:stream';

/** Bytes of a proxy's answer head read at most before giving up on it. */
const MAX_HEAD = 16 * 1024;

/**
 * A socket-like stream for `pg` that reaches host:port through an HTTP proxy's `CONNECT` tunnel.
 * In a sandbox with `network: { allow: [...] }` the only way out is the gateway's egress proxy
 * (HTTP_PROXY), and its CONNECT tunnel carries any TCP stream once the destination is admitted,
 * so the PostgreSQL wire protocol (and its in-band TLS upgrade) passes unchanged. `pg` calls
 * `connect(port, host)` and waits for 'connect', as it does with a net.Socket.
 */
export class ProxyTunnel extends Duplex {
  private socket: Socket | undefined;

  constructor(private readonly proxy: URL) {
    super();
  }

  connect(port: number, host: string): this {
    const authority = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
    const socket = connect(Number(this.proxy.port || 80), this.proxy.hostname);
    let head = Buffer.alloc(0);
    const onHead = (chunk: Buffer) => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end === -1) {
        if (head.length > MAX_HEAD) this.destroy(new Error('the egress proxy sent no complete answer'));
        return;
      }
      socket.off('data', onHead);
      const text = head.subarray(0, end).toString('latin1');
      if (!/^HTTP\/1\.[01] 200\b/.test(text)) {
        const body = head.subarray(end + 4).toString('utf8').trim();
        this.destroy(new Error(`the sandbox's egress proxy did not open ${authority}: ${text.split('\r\n')[0]}${body ? ` (${body})` : ''}`));
        return;
      }
      this.socket = socket;
      socket.on('data', (data: Buffer) => {
        if (!this.push(data)) socket.pause();
      });
      socket.on('end', () => this.push(null));
      const rest = head.subarray(end + 4);
      if (rest.length > 0) this.push(rest);
      this.emit('connect');
    };
    socket.on('data', onHead);
    socket.once('connect', () => socket.write(`CONNECT ${authority} HTTP/1.1\r\nHost: ${authority}\r\n\r\n`));
    socket.on('error', (err) => this.destroy(err));
    socket.on('close', () => this.destroy());
    this.once('close', () => socket.destroy());
    return this;
  }

  override _read(): void {
    this.socket?.resume();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (err?: Error | null) => void): void {
    if (!this.socket) return done(new Error('the tunnel is not open yet'));
    this.socket.write(chunk, done);
  }

  override _final(done: (err?: Error | null) => void): void {
    this.socket?.end();
    done();
  }

  // What pg calls on a net.Socket; the tunnel's own socket is local, so these change nothing that matters.
  setNoDelay(): this {
    return this;
  }
  setKeepAlive(): this {
    return this;
  }
  ref(): this {
    return this;
  }
  unref(): this {
    return this;
  }
}

/** The proxy the sandbox set up for this process, if any (HTTP_PROXY, as the egress forwarder sets it). */
export function egressProxy(): URL | undefined {
  const value = process.env.HTTP_PROXY ?? process.env.http_proxy;
  if (!value) return undefined;
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}
