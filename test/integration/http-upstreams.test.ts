import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutletRuntime } from '../../src/outlet/runtime.js';
import { connectHttpClient, startTestOutlet, waitReady } from '../helpers/outlet.js';
import { startEverythingHttp, type RunningServer } from '../helpers/servers.js';

// Upstreams that are themselves HTTP servers: server-everything on Streamable HTTP, and the same
// server on the legacy HTTP+SSE transport, each behind the outlet.
let streamable: RunningServer;
let sse: RunningServer;
let outlet: OutletRuntime;

beforeAll(async () => {
  [streamable, sse] = await Promise.all([startEverythingHttp('streamableHttp'), startEverythingHttp('sse')]);
  outlet = await startTestOutlet({
    servers: {
      remote: { url: streamable.url },
      old: { url: sse.url, transport: 'sse' },
    },
  });
});

afterAll(async () => {
  await outlet?.close();
  await Promise.all([streamable?.stop(), sse?.stop()]);
});

describe('HTTP upstreams', () => {
  it('connects both, reporting each transport', async () => {
    await waitReady(outlet.url);
    const res = await fetch(`${outlet.url}/ready`);
    const body = (await res.json()) as { upstreams: { name: string; state: string; transport: string }[] };
    expect(body.upstreams.map((u) => [u.name, u.transport, u.state])).toEqual([
      ['old', 'sse', 'connected'],
      ['remote', 'streamable-http', 'connected'],
    ]);
  });

  it.each(['2025-11-25', '2026-07-28'] as const)('serves tools of both to a %s client', async (era) => {
    const client = await connectHttpClient(`${outlet.url}/mcp`, era);
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
