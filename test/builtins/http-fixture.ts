import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A local HTTP server for the http built-in's tests: each path one behaviour. */
export interface Fixture {
  port: number;
  /** Requests seen, by path: shows that a refused call never reached it. */
  hits: string[];
  /** Path -> Location answered with a 302; filled in once the ports are known. */
  redirects: Record<string, string>;
  close(): Promise<void>;
}

export async function startFixture(): Promise<Fixture> {
  const hits: string[] = [];
  const redirects: Record<string, string> = {};
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    hits.push(req.url ?? '');
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = (req.url ?? '').split('?')[0]!;
      if (path in redirects) {
        res.writeHead(302, { location: redirects[path]! }).end();
      } else if (path === '/hello') {
        res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'x-fixture': 'yes' }).end('hello, world');
      } else if (path === '/echo') {
        res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') }));
      } else if (path === '/big') {
        res.writeHead(200, { 'content-type': 'text/plain' }).end('x'.repeat(200_000));
      } else if (path === '/binary') {
        res.writeHead(200, { 'content-type': 'image/png' }).end(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff]));
      } else if (path === '/slow') {
        // Never answers: the tool's time limit must end the call.
      } else {
        res.writeHead(404).end('no such path');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    hits,
    redirects,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
