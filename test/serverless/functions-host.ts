import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { NodeStyleRequest } from '../../src/serverless/node-http-adapter.js';

// What the Google Cloud Functions Framework does before calling an HTTP function, reproduced on a
// real Node HTTP server: it reads the whole body, keeps the bytes in `req.rawBody` and a parsed
// JSON `req.body`, then calls the function with the (now consumed) request and the response.
// `body: 'unread'` hands the request over untouched, as a bare Node server does; `'parsed-only'`
// keeps only the parsed JSON, as an Express app with a JSON body parser and no rawBody does.

export interface FunctionsHost {
  url: string;
  close(): Promise<void>;
}

export async function startFunctionsHost(
  handler: (req: NodeStyleRequest, res: ServerResponse) => Promise<void>,
  options: { body?: 'framework' | 'unread' | 'parsed-only' } = {},
): Promise<FunctionsHost> {
  const server: Server = createServer((req, res) => {
    const request = req as NodeStyleRequest;
    if (options.body === 'unread') return void handler(request, res);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      if (options.body !== 'parsed-only') request.rawBody = raw;
      if ((req.headers['content-type'] ?? '').includes('json')) {
        try {
          request.body = JSON.parse(raw.toString('utf8'));
        } catch {
          request.body = {};
        }
      }
      void handler(request, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
