import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutletRuntime } from '../../src/outlet/runtime.js';
import { ResultValidators } from '../../src/upstream/result-validators.js';
import { connectHttpClient, startTestOutlet } from '../helpers/outlet.js';

// Upstream results are checked by a validator made once per connection and method (not the
// SDK's per-call probe); the checks and defaults must be the SDK's own.
const RAW = fileURLToPath(new URL('../fixtures/raw-result-server.mjs', import.meta.url));

describe('upstream results, validated once per method', () => {
  let runtime: OutletRuntime;
  let client: Client;

  beforeAll(async () => {
    runtime = await startTestOutlet({ reload: { watch: false }, servers: { raw: { command: process.execPath, args: [RAW] } } });
    client = await connectHttpClient(`${runtime.url}/mcp`, '2025-11-25');
  });
  afterAll(async () => {
    await client?.close();
    await runtime?.close();
  });

  it("fills the codec's defaults: a tool result without content gets an empty list", async () => {
    const result = await client.callTool({ name: 'raw__bare', arguments: {} });
    expect(result).toMatchObject({ content: [], structuredContent: { ok: true } });
  });

  it('refuses a result that breaks the schema, naming the method, and the next call still works', async () => {
    await expect(client.callTool({ name: 'raw__broken', arguments: {} })).rejects.toThrow(/Invalid result for tools\/call/);
    await expect(client.callTool({ name: 'raw__fine', arguments: {} })).resolves.toMatchObject({ content: [{ type: 'text', text: 'fine' }] });
  });

  it('makes one validator per method and negotiated codec; none before negotiation or for a method the era lacks', async () => {
    const lease = await runtime.gateway.supervisor.get('raw')!.acquire(undefined);
    const validators = new ResultValidators(lease.connection.client);
    lease.release();
    const first = validators.for('tools/call');
    expect(first).toBeDefined();
    expect(validators.for('tools/call')).toBe(first);
    expect(validators.for('made-up/method')).toBeUndefined();
    expect(new ResultValidators(new Client({ name: 'unconnected', version: '1' })).for('tools/call')).toBeUndefined();
  });
});
