import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutletRuntime } from '../../src/outlet/runtime.js';
import { eventually, startTestOutlet } from '../helpers/outlet.js';
import { freePort } from '../helpers/servers.js';
import { rpc } from './helpers.js';

// An upstream URL that carries credentials (a password in the authority, API keys in the query)
// and points at a closed port, so every connect fails with an error that may quote the URL. None
// of those secrets may leave the process: not in /ready, not in outlet/servers, not in any error.
const SECRETS = ['s3cr3tpassw0rd', 'k3y-abcdef-123', 't0k3n-zyxwvu-987', 'acc3ss-qwerty-555'];
let outlet: OutletRuntime;
let url: string;

beforeAll(async () => {
  const port = await freePort();
  url = `http://alice:${SECRETS[0]}@127.0.0.1:${port}/mcp?api_key=${SECRETS[1]}&token=${SECRETS[2]}&access_token=${SECRETS[3]}`;
  outlet = await startTestOutlet({ servers: { web: { url } } });
  // Wait for the first failure to be recorded.
  await eventually(async () => ((await (await fetch(`${outlet.url}/ready`)).json()) as { upstreams: Array<{ lastError?: string }> }).upstreams[0]?.lastError);
});

afterAll(async () => {
  await outlet?.close();
});

function expectNoSecret(where: string, text: string): void {
  for (const secret of SECRETS) expect(text.includes(secret), `${where} carries ${secret}: ${text}`).toBe(false);
}

describe('credentials in an upstream URL', () => {
  it('are absent from /ready and outlet/servers, which still say what failed', async () => {
    const ready = await (await fetch(`${outlet.url}/ready`)).text();
    expectNoSecret('/ready', ready);
    expect(ready).toContain('"lastError"');
    const servers = await rpc(outlet.url, 'outlet/servers');
    expectNoSecret('outlet/servers', servers.text);
    expect(servers.text).toContain('lastError');
  });

  it('are absent from call errors on /rpc, /mcp and REST', async () => {
    const aggregated = await rpc(outlet.url, 'tools/call', { name: 'web__anything', arguments: {} });
    expect(aggregated.body.error?.data?.outletCode).toBe('UPSTREAM_UNAVAILABLE');
    expectNoSecret('/rpc aggregated', aggregated.text);
    const byName = await rpc(outlet.url, 'tools/call', { name: 'anything', arguments: {} }, 'web');
    expect(byName.body.error?.data?.outletCode).toBe('UPSTREAM_UNAVAILABLE');
    expectNoSecret('/rpc by name', byName.text);
    const listed = await rpc(outlet.url, 'tools/list', {}, 'web');
    expectNoSecret('/rpc tools/list by name', listed.text);

    const rest = await fetch(`${outlet.url}/api/tools/web__anything`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(rest.status).toBe(502);
    expectNoSecret('REST', await rest.text());

    const client = new Client({ name: 'redaction-test', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(`${outlet.url}/servers/web/mcp`)));
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
    const traced = await startTestOutlet({ servers: { rt: { command: process.execPath, args: [ROUTING_SERVER] } } });
    try {
      const say = `connecting to ${url}`;
      const answer = await eventually(async () => {
        const res = await fetch(`${traced.url}/rpc`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'echo', arguments: { n: 1 }, _meta: { 'outlet/serverName': 'rt', 'outlet/trace': true } } }),
        });
        return res.status === 200 ? ((await res.json()) as { result: { _meta: { 'outlet/trace': { console: Array<{ line: string }> } } } }) : undefined;
      });
      expect(answer!.result._meta['outlet/trace'].console).toEqual([]);
      const res = await fetch(`${traced.url}/rpc`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'echo', arguments: { say }, _meta: { 'outlet/serverName': 'rt', 'outlet/trace': true } } }),
      });
      const body = (await res.json()) as { result: { _meta: { 'outlet/trace': { console: Array<{ line: string }> } } } };
      const lines = body.result._meta['outlet/trace'].console.map((l) => l.line);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^connecting to http:\/\/alice:\[REDACTED\]@/);
      expectNoSecret('trace console', JSON.stringify(lines));
    } finally {
      await traced.close();
    }
  });
});
