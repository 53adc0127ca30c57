import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { splitUrlCredentials } from '../../src/upstream/url-credentials.js';
import { eventually } from '../helpers/outlet.js';
import { suiteGateway } from '../helpers/suite-gateway.js';

// fetch refuses a URL that carries credentials, so an upstream written as http://user:pass@host
// was never even asked. The credentials now travel as HTTP Basic authentication.
let upstream: Server;
let port: number;
const seen: Array<{ url: string | undefined; headers: IncomingHttpHeaders }> = [];

beforeAll(async () => {
  upstream = createServer((req, res) => {
    seen.push({ url: req.url, headers: req.headers });
    res.writeHead(401, { 'content-type': 'application/json' }).end('{}');
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  port = (upstream.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise((resolve) => upstream?.close(resolve));
});

// Registered after the upstream's hooks (vitest runs after-hooks as a stack): the gateway starts
// once the port is known and closes before the upstream does.
suiteGateway(() => ({ servers: { web: { url: `http://alice:p%40ss@127.0.0.1:${port}/mcp` } } }));

describe('an upstream URL with credentials', () => {
  it('reaches the server, with the credentials as Basic authentication and not in the URL', async () => {
    const first = await eventually(() => seen[0]);
    expect(first!.headers.authorization).toBe(`Basic ${Buffer.from('alice:p@ss').toString('base64')}`);
    expect(first!.url).toBe('/mcp');
  });

  it('leaves an Authorization header the entry sets itself in charge', () => {
    const split = splitUrlCredentials(new URL('https://u:p@example.com/mcp'), { authorization: 'Bearer t' });
    expect(split.headers).toEqual({ authorization: 'Bearer t' });
    expect(split.url.href).toBe('https://example.com/mcp');
  });
});
