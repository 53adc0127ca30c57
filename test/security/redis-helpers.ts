import { randomUUID } from 'node:crypto';
import { createServer, Socket, type Server } from 'node:net';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import type { Logger } from '../../src/observability/logger.js';

/** The Redis these tests use for real (no password, nothing persisted). */
export const REDIS_URL = 'redis://127.0.0.1:6379';

/** A key prefix no other test (or earlier run) uses. */
export const uniquePrefix = (): string => `outlet:test:rl:${randomUUID()}:`;

/** A plain client, to look at and clean up what the stores wrote. */
export function inspector(): Redis {
  return new Redis(REDIS_URL, { lazyConnect: false, maxRetriesPerRequest: 1 });
}

export async function keysUnder(redis: Redis, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    keys.push(...batch);
    cursor = next;
  } while (cursor !== '0');
  return keys.sort();
}

export async function deleteUnder(redis: Redis, prefix: string): Promise<void> {
  const keys = await keysUnder(redis, prefix);
  if (keys.length > 0) await redis.del(...keys);
}

/** A logger whose lines land in an array. */
export function capturingLogger(): { logger: Logger; lines: { level: number; msg: string }[] } {
  const lines: { level: number; msg: string }[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as { level: number; msg: string }) });
  return { logger, lines };
}

/** A loopback port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * A TCP server on loopback that accepts connections and then behaves badly: "silent" never
 * answers anything; "stalls-on-scripts" answers +OK to every command (enough for a client to
 * become ready) but never answers EVAL/EVALSHA, like a Redis stuck mid-command.
 */
export async function badRedis(mode: 'silent' | 'stalls-on-scripts'): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    socket.on('data', (chunk) => {
      if (mode === 'silent') return;
      // One reply per command (RESP arrays start with "*" at a line start), none for scripts.
      const commands = chunk.toString('latin1').split(/(?=^\*\d+\r\n)/m).filter((c) => c.startsWith('*'));
      for (const command of commands) if (!/\r\nEVAL(SHA)?\r\n/i.test(command)) socket.write('+OK\r\n');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `redis://127.0.0.1:${port}`,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * A TCP proxy to the real Redis that can be cut (connections dropped, port closed) and restored
 * on the same port: an outage and its end, as a gateway sees them.
 */
export async function cuttableRedis(): Promise<{ url: string; cut(): Promise<void>; restore(): Promise<void>; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let port = 0;
  const listen = async () => {
    const s = createServer((client) => {
      const upstream = new Socket();
      upstream.connect(6379, '127.0.0.1');
      for (const sock of [client, upstream]) {
        sockets.add(sock);
        sock.on('close', () => sockets.delete(sock));
        sock.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve) => s.listen(port, '127.0.0.1', resolve));
    port = (s.address() as { port: number }).port;
    server = s;
  };
  const cut = async () => {
    const s = server;
    server = undefined;
    for (const sock of sockets) sock.destroy();
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  };
  await listen();
  return { url: `redis://127.0.0.1:${port}`, cut, restore: listen, close: cut };
}
