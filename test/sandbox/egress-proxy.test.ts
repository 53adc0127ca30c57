import { existsSync } from 'node:fs';
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { EgressLookup } from '../../src/sandbox/egress-decision.js';
import type { EgressProxy } from '../../src/sandbox/egress-proxy.js';
import { connectThrough, egressProxies } from './egress-test-proxies.js';

// The gateway side alone, on a Unix socket in a temp dir, spoken to as the forwarder would relay
// a client: absolute-URI requests and CONNECT, against a real HTTP server on the host's loopback.
let target: Server;
let port = 0;
let closedPort = 0;
let seen: IncomingHttpHeaders[] = [];
/** A DNS where one name under a listed wildcard points at the loopback, the other at the test server too but listed by name. */
const lookup: EgressLookup = async (host) => {
  if (host === 'rebound.example.test' || host === 'trusted.example.test') return [{ address: '127.0.0.1', family: 4 }];
  throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
};

beforeAll(async () => {
  target = createServer((req, res) => {
    seen.push(req.headers);
    res.end(`target ${req.method} ${req.url}`);
  });
  await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
  port = (target.address() as { port: number }).port;
  const spare = createServer();
  await new Promise<void>((resolve) => spare.listen(0, '127.0.0.1', resolve));
  closedPort = (spare.address() as { port: number }).port;
  await new Promise<void>((resolve) => spare.close(() => resolve()));
});

const proxies = egressProxies(lookup);
const start = (allow: string[]): EgressProxy => proxies.start(allow);
const tunnel = connectThrough;

afterEach(() => {
  seen = [];
});

afterAll(async () => {
  await new Promise<void>((resolve) => target.close(() => resolve()));
});

function get(p: EgressProxy, url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath: p.socketPath, method: 'GET', path: url, headers });
    req.once('response', (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c: string) => (body += c));
      res.once('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.once('error', reject);
    req.end();
  });
}

function readAll(socket: Socket, head: Buffer = Buffer.alloc(0)): Promise<string> {
  return new Promise((resolve) => {
    let text = head.toString('utf8');
    socket.setEncoding('utf8').on('data', (c: string) => (text += c));
    socket.once('close', () => resolve(text));
  });
}

describe('the egress proxy', () => {
  it('forwards an absolute-URI request to a listed destination, with the Host of the URL and no proxy headers', async () => {
    const p = start([`127.0.0.1:${port}`]);
    const answer = await get(p, `http://127.0.0.1:${port}/a?b=1`, { host: 'elsewhere.example', 'proxy-authorization': 'Basic eDp5' });
    expect(answer).toEqual({ status: 200, body: 'target GET /a?b=1' });
    expect(seen[0]).toMatchObject({ host: `127.0.0.1:${port}` });
    expect(seen[0]?.['proxy-authorization']).toBeUndefined();
    expect(p.refused).toBe(0);
  });

  it('opens a CONNECT tunnel to a listed destination', async () => {
    const { status, socket, head } = await tunnel(start([`127.0.0.1:${port}`]), `127.0.0.1:${port}`);
    expect(status).toBe(200);
    socket.write(`GET /inside HTTP/1.1\r\nhost: 127.0.0.1\r\nconnection: close\r\n\r\n`);
    expect(await readAll(socket, head)).toMatch(/^HTTP\/1\.1 200 OK[\s\S]*target GET \/inside$/);
  });

  it('refuses what is not listed with a 403 naming it, counts it and reports it', async () => {
    const p = start([`127.0.0.1:${port}`]);
    const refusedGet = await get(p, `http://localhost:${port}/x`);
    expect(refusedGet).toEqual({ status: 403, body: `mcp-outlet egress proxy: "localhost:${port}" is not on this server's network allowlist (sandbox.network.allow)\n` });
    const refusedTunnel = await tunnel(p, `127.0.0.1:${closedPort}`);
    expect(refusedTunnel.status).toBe(403);
    expect(await readAll(refusedTunnel.socket, refusedTunnel.head)).toMatch(/is not on this server's network allowlist/);
    expect(seen).toEqual([]);
    expect(p.refused).toBe(2);
    expect(proxies.refusals.map((r) => `${r.method} ${r.host}:${r.port}`)).toEqual([`GET localhost:${port}`, `CONNECT 127.0.0.1:${closedPort}`]);
  });

  it('refuses a wildcard name that resolves to the loopback, and allows the same address for a name listed outright', async () => {
    const p = start([`*.example.test:${port}`, `trusted.example.test:${port}`]);
    const rebound = await tunnel(p, `rebound.example.test:${port}`);
    expect(rebound.status).toBe(403);
    expect(await readAll(rebound.socket, rebound.head)).toContain('"rebound.example.test:' + port + '" resolves to 127.0.0.1, a loopback address');
    expect(await get(p, `http://trusted.example.test:${port}/ok`)).toEqual({ status: 200, body: 'target GET /ok' });
    expect(seen[0]).toMatchObject({ host: `trusted.example.test:${port}` });
  });

  it('answers 400 for what is not a proxy request and 502 when a listed destination is down, without counting refusals', async () => {
    const p = start([`127.0.0.1:${closedPort}`, `127.0.0.1:${port}`]);
    expect((await get(p, '/relative')).status).toBe(400);
    expect((await get(p, `https://127.0.0.1:${port}/`)).status).toBe(400);
    const down = await tunnel(p, `127.0.0.1:${closedPort}`);
    expect(down.status).toBe(502);
    expect(await readAll(down.socket, down.head)).toMatch(/cannot reach 127\.0\.0\.1:\d+: ECONNREFUSED/);
    expect(p.refused).toBe(0);
  });

  it('drops connections beyond its cap, so a server cannot spend the gateway\'s descriptors', async () => {
    const proxy = proxies.start([`127.0.0.1:${port}`], { maxConnections: 1 });
    const first = await tunnel(proxy, `127.0.0.1:${port}`);
    expect(first.status).toBe(200);
    await expect(get(proxy, `http://127.0.0.1:${port}/`)).rejects.toThrow(/socket hang up|ECONNRESET|EPIPE/);
    first.socket.destroy();
  });

  it('on close stops listening, cuts open tunnels and removes its socket', async () => {
    const p = start([`127.0.0.1:${port}`]);
    const open = await tunnel(p, `127.0.0.1:${port}`);
    const cut = readAll(open.socket, open.head);
    p.close();
    await cut; // the tunnel closes without the client doing anything
    expect(existsSync(p.socketPath)).toBe(false);
    await expect(get(p, `http://127.0.0.1:${port}/`)).rejects.toMatchObject({ code: 'ENOENT' });
    p.close();
  });
});
