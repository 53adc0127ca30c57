import { once } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { EgressLookup } from '../../src/sandbox/egress-decision.js';
import type { EgressProxy } from '../../src/sandbox/egress-proxy.js';
import { clientHelloName } from '../../src/sandbox/tls-client-hello.js';
import { connectThrough, egressProxies } from './egress-test-proxies.js';

// A tunnel opened to a listed name carries TLS for that name only: on a shared front the listed
// name's address would serve any other name a client asks for (domain fronting). The ClientHellos
// are real ones, sent by node:tls; the destination is a TCP server that records what reaches it.
let target: Server;
let port = 0;
/** What reached the destination, per connection. */
let arrived: Buffer[][] = [];
const lookup: EgressLookup = async (host) => {
  if (host === 'trusted.example.test') return [{ address: '127.0.0.1', family: 4 }];
  throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
};

beforeAll(async () => {
  target = createServer((socket) => {
    const chunks: Buffer[] = [];
    arrived.push(chunks);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
  port = (target.address() as { port: number }).port;
});

const proxies = egressProxies(lookup);
const start = (allow: string[]): EgressProxy => proxies.start(allow);

afterEach(() => {
  arrived = [];
});

afterAll(async () => {
  await new Promise<void>((resolve) => target.close(() => resolve()));
});

/** A tunnel the proxy opened (200), as a socket. */
async function tunnel(p: EgressProxy, authority: string): Promise<Socket> {
  const { status, socket } = await connectThrough(p, authority);
  expect(status).toBe(200);
  return socket;
}

/** Starts TLS over `socket` asking for `servername` (none when undefined); the handshake never completes (the destination is not TLS). */
function helloOver(socket: Socket, servername: string | undefined): void {
  const tls = tlsConnect({ socket, ...(servername !== undefined ? { servername } : {}), rejectUnauthorized: false });
  tls.on('error', () => undefined);
}

const bytesArrived = (): number => arrived.flat().reduce((n, chunk) => n + chunk.length, 0);

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(condition()).toBe(true);
}

/** The first bytes node:tls sends for `servername` (no SNI when undefined: an IP address host). */
async function recordedHello(servername: string | undefined): Promise<Buffer> {
  const before = arrived.length;
  const socket = tlsConnect({ host: '127.0.0.1', port, ...(servername !== undefined ? { servername } : {}), rejectUnauthorized: false });
  socket.on('error', () => undefined);
  await until(() => arrived.length > before && arrived[before]!.length > 0);
  socket.destroy();
  return Buffer.concat(arrived[before]!);
}

describe('reading the server name of a ClientHello', () => {
  it('finds the name node:tls asks for, none when it asks for none, and waits for a whole record', async () => {
    const hello = await recordedHello('api.example.test');
    expect(clientHelloName(hello)).toEqual({ kind: 'tls', serverName: 'api.example.test' });
    expect(clientHelloName(await recordedHello(undefined))).toEqual({ kind: 'tls', serverName: undefined });
    for (const cut of [0, 1, 4, 5, 40, hello.length - 1]) expect(clientHelloName(hello.subarray(0, cut))).toEqual({ kind: 'more' });
  });

  it('tells a stream that is not TLS, and a handshake record that is not a readable ClientHello', async () => {
    expect(clientHelloName(Buffer.from('GET / HTTP/1.1\r\n\r\n'))).toEqual({ kind: 'not-tls' });
    expect(clientHelloName(Buffer.from('SSH-2.0-x\r\n'))).toEqual({ kind: 'not-tls' });
    const hello = await recordedHello('api.example.test');
    const notHello = Buffer.from(hello);
    notHello[5] = 0x02; // a ServerHello's type
    expect(clientHelloName(notHello)).toMatchObject({ kind: 'malformed', reason: 'the first handshake message is not a ClientHello' });
    const overlong = Buffer.from(hello);
    overlong.writeUInt16BE(0xffff, 5 + 4 + 2 + 32 + 1 + overlong[5 + 4 + 2 + 32]!); // cipher suites longer than the hello
    expect(clientHelloName(overlong)).toMatchObject({ kind: 'malformed', reason: 'a ClientHello whose lengths run past its end' });
    const huge = Buffer.from([0x16, 0x03, 0x01, 0xff, 0xff]);
    expect(clientHelloName(huge)).toMatchObject({ kind: 'malformed' });
  });
});

describe('a CONNECT tunnel to a listed name', () => {
  it('refuses TLS that asks for another name: nothing reaches the destination, and the refusal is counted and reported', async () => {
    const p = start([`trusted.example.test:${port}`]);
    const socket = await tunnel(p, `trusted.example.test:${port}`);
    helloOver(socket, 'evil.example.test');
    await Promise.race([once(socket, 'close'), new Promise((_, reject) => setTimeout(() => reject(new Error('the tunnel stayed open')), 5000))]);
    expect(bytesArrived()).toBe(0);
    expect(p.refused).toBe(1);
    expect(proxies.refusals).toEqual([
      {
        host: 'trusted.example.test',
        port,
        method: 'CONNECT',
        reason: `the tunnel to "trusted.example.test:${port}" asked TLS for "evil.example.test": a tunnel carries only the name it was opened for (sandbox.network.allow)`,
      },
    ]);
  });

  it('passes TLS for its own name (in any case), TLS without a name, and a stream that is not TLS', async () => {
    const p = start([`trusted.example.test:${port}`]);
    for (const servername of ['trusted.example.test', 'Trusted.Example.TEST', undefined]) {
      const before = bytesArrived();
      const socket = await tunnel(p, `trusted.example.test:${port}`);
      helloOver(socket, servername);
      await until(() => bytesArrived() > before);
      expect(arrived.at(-1)![0]![0]).toBe(0x16); // the ClientHello itself, forwarded
      socket.destroy();
    }
    const socket = await tunnel(p, `trusted.example.test:${port}`);
    socket.write('PING plain text\r\n');
    await until(() => Buffer.concat(arrived.at(-1) ?? []).toString() === 'PING plain text\r\n');
    socket.destroy();
    expect(p.refused).toBe(0);
  });
});

describe('a CONNECT tunnel to a listed address', () => {
  it('carries TLS for any name: the operator listed the address itself', async () => {
    const p = start([`127.0.0.1:${port}`]);
    const socket = await tunnel(p, `127.0.0.1:${port}`);
    helloOver(socket, 'whatever.example.test');
    await until(() => bytesArrived() > 0);
    socket.destroy();
    expect(p.refused).toBe(0);
  });
});
