import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutletRuntime } from '../../src/outlet/runtime.js';
import { connectHttpClient, eventually, startTestOutlet, waitReady } from '../helpers/outlet.js';
import { PROBE, alive, instancesOf, probe } from './helpers.js';

describe('pool instances', () => {
  let outlet: OutletRuntime;
  let client: Client;

  beforeAll(async () => {
    outlet = await startTestOutlet({ servers: { probe: { command: process.execPath, args: [PROBE], instances: { mode: 'pool', size: 3 } } } });
    await waitReady(outlet.url);
    await eventually(async () => (await instancesOf(outlet.url, 'probe')).running === 2);
    client = await connectHttpClient(`${outlet.url}/mcp`, '2025-11-25');
  });

  afterAll(async () => {
    await client?.close();
    await outlet?.close();
  });

  it('reports its size and processes in /ready (the first member is the catalog\'s connection)', async () => {
    expect(await instancesOf(outlet.url, 'probe')).toMatchObject({ mode: 'pool', size: 3, running: 2, busy: 0, state: 'connected' });
  });

  it('sends concurrent calls to the least busy process, spreading them over every member', async () => {
    const answers = await Promise.all(Array.from({ length: 6 }, () => probe(client, 'probe__hold', { ms: 400 })));
    const perProcess = new Map<string, number>();
    for (const a of answers) perProcess.set(a.id, (perProcess.get(a.id) ?? 0) + 1);
    expect(perProcess.size).toBe(3);
    // Processes are long-lived: their state carries over from call to call.
    const again = await probe(client, 'probe__whoami');
    expect(perProcess.has(again.id)).toBe(true);
    expect(again.calls).toBeGreaterThan(1);
  });
});

describe('the gateway-wide process cap', () => {
  let outlet: OutletRuntime;

  beforeAll(async () => {
    outlet = await startTestOutlet({
      limits: { maxProcesses: 2 },
      servers: { probe: { command: process.execPath, args: [PROBE], instances: { mode: 'per-session', spares: 1, acquireTimeoutMs: 3000 } } },
    });
    await waitReady(outlet.url);
  });

  afterAll(async () => {
    await outlet?.close();
  });

  async function session(): Promise<{ client: Client; transport: StreamableHTTPClientTransport }> {
    const client = new Client({ name: 'capped', version: '1.0.0' }, { supportedProtocolVersions: ['2025-11-25'] });
    const transport = new StreamableHTTPClientTransport(new URL(`${outlet.url}/mcp`));
    await client.connect(transport);
    return { client, transport };
  }

  it('refuses a process beyond limits.maxProcesses with GATEWAY_BUSY, and starts it once one has exited', async () => {
    // Two processes: the lister and a spare, which the first session takes; its replacement waits for a slot.
    await eventually(async () => (await instancesOf(outlet.url, 'probe')).spares === 1);
    const a = await session();
    const b = await session();
    await probe(a.client, 'probe__whoami');
    await expect(probe(b.client, 'probe__whoami')).rejects.toThrow(/process cap \(limits\.maxProcesses = 2\)/);
    const { pids } = await instancesOf(outlet.url, 'probe');
    await a.transport.terminateSession();
    // The slot is free once the process has exited, not when it was told to stop.
    await eventually(() => pids.every((pid) => !alive(pid)));
    expect((await probe(b.client, 'probe__whoami')).calls).toBe(1);
    await Promise.all([a.client.close(), b.client.close()]);
  });
});
