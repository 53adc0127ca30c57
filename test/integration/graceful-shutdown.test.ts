import { describe, expect, it } from 'vitest';
import { runOutlet } from '../helpers/cli.js';
import { connectHttpClient, eventually, startTestOutlet, waitReady } from '../helpers/outlet.js';
import { TINY } from '../helpers/servers.js';
import { processesWith } from '../isolation/helpers.js';

// SIGTERM semantics (runtime.close with a grace period): calls in flight finish, new ones are
// refused with SHUTTING_DOWN, then the upstreams are stopped and nothing is left running.
describe('graceful shutdown', () => {
  it('lets a call in flight finish, refuses new calls, and leaves no upstream process', async () => {
    const marker = `drain-marker-${process.pid}`;
    const outlet = await startTestOutlet({ servers: { tiny: { command: process.execPath, args: [TINY, marker], env: { TINY_WAIT: '1' } } } });
    await waitReady(outlet.url);
    const client = await connectHttpClient(`${outlet.url}/mcp`, '2025-11-25');
    const tiny = outlet.gateway.supervisor.get('tiny')!;
    const inFlight = client.callTool({ name: 'tiny__wait', arguments: { ms: 1500 } });
    await eventually(() => tiny.console.tail().some((l) => l.line === 'wait: started 1500'));
    const closing = outlet.close({ graceMs: 20_000 });
    const refused = await client.callTool({ name: 'tiny__wait', arguments: { ms: 1 } }).then(
      () => 'answered',
      (e: Error) => e.message,
    );
    expect(refused).toMatch(/shutting down|fetch failed|ECONNREFUSED|closed/i);
    await expect(inFlight).resolves.toMatchObject({ content: [{ type: 'text', text: 'waited 1500' }] });
    await closing;
    expect(await eventually(() => processesWith(marker).length === 0, 5000)).toBe(true);
    await client.close().catch(() => undefined);
  });
});

describe('outlet logs', () => {
  it("prints a server's console lines from a running gateway", async () => {
    const outlet = await startTestOutlet({ servers: { noisy: { command: process.execPath, args: [TINY], env: { TINY_BANNER: 'hello from stdout' } } } });
    try {
      await waitReady(outlet.url);
      const r = await runOutlet(['logs', 'noisy', '--url', outlet.url]);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/ stdout hello from stdout$/m);
      const missing = await runOutlet(['logs', 'nope', '--url', outlet.url]);
      expect(missing.code).toBe(2);
      expect(missing.stderr).toContain('no running server named "nope"');
    } finally {
      await outlet.close();
    }
  });
});
