import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { beforeAll, describe, expect, it } from 'vitest';
import { testGateway } from '../helpers/gateway.js';
import { eventually } from '../helpers/outlet.js';
import { suiteGateway } from '../helpers/suite-gateway.js';
import { freePort } from '../helpers/servers.js';
import { rpc } from './helpers.js';

// An upstream URL that carries credentials (a password in the authority, API keys in the query)
// and points at a closed port, so every connect fails with an error that may quote the URL. None
// of those secrets may leave the process: not in /ready, not in outlet/servers, not in any error.
const SECRETS = ['s3cr3tpassw0rd', 'k3y-abcdef-123', 't0k3n-zyxwvu-987', 'acc3ss-qwerty-555'];
let url: string;

beforeAll(async () => {
  const port = await freePort();
  url = `http://alice:${SECRETS[0]}@127.0.0.1:${port}/mcp?api_key=${SECRETS[1]}&token=${SECRETS[2]}&access_token=${SECRETS[3]}`;
});

const suite = suiteGateway(() => ({ servers: { web: { url } } }));

beforeAll(async () => {
  // Wait for the first failure to be recorded.
  await eventually(async () => ((await (await suite.gw.fetch('/ready')).json()) as { upstreams: Array<{ lastError?: string }> }).upstreams[0]?.lastError);
});

function expectNoSecret(where: string, text: string): void {
  for (const secret of SECRETS) expect(text.includes(secret), `${where} carries ${secret}: ${text}`).toBe(false);
}

describe('credentials in an upstream URL', () => {
  it('are absent from /ready and outlet/servers, which still say what failed', async () => {
    const ready = await (await suite.gw.fetch('/ready')).text();
    expectNoSecret('/ready', ready);
    expect(ready).toContain('"lastError"');
    const servers = await rpc(suite.gw.fetch, 'outlet/servers');
    expectNoSecret('outlet/servers', servers.text);
    expect(servers.text).toContain('lastError');
  });

  it('are absent from call errors on /rpc, /mcp and REST', async () => {
    const aggregated = await rpc(suite.gw.fetch, 'tools/call', { name: 'web__anything', arguments: {} });
    expect(aggregated.body.error?.data?.outletCode).toBe('UPSTREAM_UNAVAILABLE');
    expectNoSecret('/rpc aggregated', aggregated.text);
    const byName = await rpc(suite.gw.fetch, 'tools/call', { name: 'anything', arguments: {} }, 'web');
    expect(byName.body.error?.data?.outletCode).toBe('UPSTREAM_UNAVAILABLE');
    expectNoSecret('/rpc by name', byName.text);
    const listed = await rpc(suite.gw.fetch, 'tools/list', {}, 'web');
    expectNoSecret('/rpc tools/list by name', listed.text);

    const rest = await suite.gw.fetch('/api/tools/web__anything', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(rest.status).toBe(502);
    expectNoSecret('REST', await rest.text());

    const client = new Client({ name: 'redaction-test', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(`${suite.url}/servers/web/mcp`), suite.gw.transport));
    try {
      const err = await client.callTool({ name: 'anything', arguments: {} }).then(() => undefined, (e: unknown) => e as Error & { data?: unknown });
      expect(err).toBeDefined();
      expectNoSecret('/servers/web/mcp', `${err!.message} ${JSON.stringify(err!.data)}`);
    } finally {
      await client.close();
    }
  });
});

describe('the one door errors leave by', () => {
  it('scrubs an OutletError message and data quoting such a URL, keeping the rest readable', async () => {
    const { OutletError } = await import('../../src/errors/index.js');
    const wire = new OutletError('UPSTREAM_ERROR', `upstream "web": POST ${url} failed`, { server: 'web', detail: `connect to ${url}` }).toJsonRpcError();
    expectNoSecret('OutletError on the wire', JSON.stringify(wire));
    expect(wire.message).toMatch(/^upstream "web": POST http:\/\/alice:\[REDACTED\]@127\.0\.0\.1:\d+\/mcp\?api_key=\[REDACTED\]/);
    expect(wire.data).toMatchObject({ outletCode: 'UPSTREAM_ERROR', server: 'web' });
  });
});

describe('console lines returned by an /rpc trace', () => {
  it('carry no credentials a server printed', async () => {
    const { ROUTING_SERVER } = await import('./helpers.js');
    // Listening: in process the answer can leave before the server's stderr line has been read,
    // and the trace then holds no console line; the socket's round trip gives it that time.
    await using traced = await testGateway({ servers: { rt: { command: process.execPath, args: [ROUTING_SERVER] } } }, { listen: true });
    const say = `connecting to ${url}`;
    const answer = await eventually(async () => {
      const res = await traced.fetch('/rpc', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'echo', arguments: { n: 1 }, _meta: { 'outlet/serverName': 'rt', 'outlet/trace': true } } }),
      });
      return res.status === 200 ? ((await res.json()) as { result: { _meta: { 'outlet/trace': { console: Array<{ line: string }> } } } }) : undefined;
    });
    expect(answer!.result._meta['outlet/trace'].console).toEqual([]);
    const res = await traced.fetch('/rpc', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'echo', arguments: { say }, _meta: { 'outlet/serverName': 'rt', 'outlet/trace': true } } }),
    });
    const body = (await res.json()) as { result: { _meta: { 'outlet/trace': { console: Array<{ line: string }> } } } };
    const lines = body.result._meta['outlet/trace'].console.map((l) => l.line);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^connecting to http:\/\/alice:\[REDACTED\]@/);
    expectNoSecret('trace console', JSON.stringify(lines));
  });
});
