import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startObserved, type Observed } from '../observability/helpers.js';

let observed: Observed;

beforeAll(async () => {
  observed = await startObserved({ metrics: { process: false } });
});

afterAll(async () => {
  await observed?.close();
});

async function scrape(): Promise<string> {
  const res = await observed.app.request('/metrics');
  expect(res.status).toBe(200);
  return res.text();
}

/** POSTs /rpc requests with random method names, a few at a time. */
async function randomMethods(count: number): Promise<void> {
  const batch = 50;
  for (let sent = 0; sent < count; sent += batch) {
    await Promise.all(
      Array.from({ length: Math.min(batch, count - sent) }, async () => {
        const method = `x/${randomBytes(12).toString('hex')}`;
        const res = await fetch(`${observed.outlet.url}/rpc`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params: {} }),
        });
        await res.arrayBuffer();
      }),
    );
  }
}

describe('metric labels from a closed set', () => {
  it('keeps /metrics the same size after 100 and after 5,000 random method names', async () => {
    await observed.install({ metrics: { process: false } });
    await randomMethods(100);
    const after100 = await scrape();
    expect(after100).toContain('method="other"');
    await randomMethods(4900);
    const after5000 = await scrape();
    // Only the counts change: no new series, so the text grows by a few digits at most.
    const series = (text: string) => text.split('\n').filter((l) => l.startsWith('outlet_requests_total{')).length;
    expect(series(after5000)).toBe(series(after100));
    expect(after5000.length).toBeLessThan(after100.length + 200);
    expect(after5000).not.toMatch(/method="x\//);
  }, 120_000);

  it('labels a configured server and a spec method as themselves', async () => {
    const res = await fetch(`${observed.outlet.url}/rpc`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'echo_meta', arguments: {}, _meta: { 'outlet/serverName': 'obs' } } }),
    });
    expect(res.status).toBe(200);
    const text = await scrape();
    expect(text).toMatch(/outlet_requests_total\{method="tools\/call",server="obs",tool="echo_meta",outcome="[a-z_]+"\} 1/);
  });
});
