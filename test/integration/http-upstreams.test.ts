import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEverythingHttp, type RunningServer } from '../helpers/servers.js';
import { suiteGateway } from '../helpers/suite-gateway.js';

// Upstreams that are themselves HTTP servers: server-everything on Streamable HTTP, and the same
// server on the legacy HTTP+SSE transport, each behind the outlet.
let streamable: RunningServer;
let sse: RunningServer;

beforeAll(async () => {
  [streamable, sse] = await Promise.all([startEverythingHttp('streamableHttp'), startEverythingHttp('sse')]);
});

afterAll(async () => {
  await Promise.all([streamable?.stop(), sse?.stop()]);
});

// Registered after the upstreams' hooks (vitest runs after-hooks as a stack): the gateway starts
// once their URLs are known and closes before they stop.
const suite = suiteGateway(() => ({
  servers: {
    remote: { url: streamable.url },
    old: { url: sse.url, transport: 'sse' },
  },
}));

describe('HTTP upstreams', () => {
  it('connects both, reporting each transport', async () => {
    await suite.gw.ready();
    const res = await suite.gw.fetch('/ready');
    const body = (await res.json()) as { upstreams: { name: string; state: string; transport: string }[] };
    expect(body.upstreams.map((u) => [u.name, u.transport, u.state])).toEqual([
      ['old', 'sse', 'connected'],
      ['remote', 'streamable-http', 'connected'],
    ]);
  });

  it.each(['2025-11-25', '2026-07-28'] as const)('serves tools of both to a %s client', async (era) => {
    const client = await suite.gw.client({ era });
    try {
      const names = (await client.listTools()).tools.map((t) => t.name);
      expect(names).toContain('remote__echo');
      expect(names).toContain('old__echo');
      const viaStreamable = await client.callTool({ name: 'remote__echo', arguments: { message: 'over streamable http' } });
      expect(viaStreamable.content).toEqual([{ type: 'text', text: 'Echo: over streamable http' }]);
      const viaSse = await client.callTool({ name: 'old__echo', arguments: { message: 'over sse' } });
      expect(viaSse.content).toEqual([{ type: 'text', text: 'Echo: over sse' }]);
    } finally {
      await client.close();
    }
  });
});
