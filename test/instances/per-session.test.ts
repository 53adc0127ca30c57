import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutletRuntime } from '../../src/outlet/runtime.js';
import { connectHttpClient, eventually, startTestOutlet, waitReady } from '../helpers/outlet.js';
import { PROBE, alive, instancesOf, probe } from './helpers.js';

// per-session: each inbound session gets a process of its own, stopped when the session ends.
let outlet: OutletRuntime;
const clients: Client[] = [];

beforeAll(async () => {
  outlet = await startTestOutlet({
    servers: {
      probe: { command: process.execPath, args: [PROBE], instances: { mode: 'per-session', spares: 1 } },
      brief: { command: process.execPath, args: [PROBE], instances: { mode: 'per-session', spares: 0, idleTimeoutMs: 1000 } },
      single: { command: process.execPath, args: [PROBE], instances: { mode: 'per-session', spares: 0, max: 1 } },
    },
  });
  await waitReady(outlet.url);
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await outlet?.close();
});

/** A 2025-era session on the aggregated endpoint whose sampling requests answer with `name`. */
async function session(name = 'anyone'): Promise<{ client: Client; transport: StreamableHTTPClientTransport }> {
  const client = new Client({ name, version: '1.0.0' }, { capabilities: { sampling: {} }, supportedProtocolVersions: ['2025-11-25'] });
  client.setRequestHandler('sampling/createMessage', async () => ({ model: 'm', role: 'assistant', content: { type: 'text', text: `I am ${name}` } }));
  const transport = new StreamableHTTPClientTransport(new URL(`${outlet.url}/mcp`));
  await client.connect(transport);
  clients.push(client);
  return { client, transport };
}

describe('per-session instances', () => {
  it('gives each session its own process and state', async () => {
    const a = await session('a');
    const b = await session('b');
    const a1 = await probe(a.client, 'probe__whoami');
    const b1 = await probe(b.client, 'probe__whoami');
    const a2 = await probe(a.client, 'probe__whoami');
    expect(a1.id).not.toBe(b1.id);
    expect([a1.calls, a2.calls, b1.calls]).toEqual([1, 2, 1]);
    expect(a2.id).toBe(a1.id);
    expect(await instancesOf(outlet.url, 'probe')).toMatchObject({ mode: 'per-session', sessions: 2, max: 32 });
  });

  it('routes each process\'s server-to-client requests to its own session, even with calls from both in flight', async () => {
    const a = await session('alice');
    const b = await session('bob');
    const [fromA, fromB] = await Promise.all([probe(a.client, 'probe__ask', { holdMs: 300 }), probe(b.client, 'probe__ask', { holdMs: 300 })]);
    expect(fromA.answer).toBe('I am alice');
    expect(fromB.answer).toBe('I am bob');
  });

  it('stops a session\'s process when the session ends', async () => {
    const a = await session();
    await probe(a.client, 'probe__whoami');
    const before = await instancesOf(outlet.url, 'probe');
    await a.transport.terminateSession();
    const after = await eventually(async () => {
      const s = await instancesOf(outlet.url, 'probe');
      return s.sessions === (before.sessions ?? 0) - 1 ? s : undefined;
    });
    const gone = before.pids.filter((pid) => !after!.pids.includes(pid));
    expect(gone).toHaveLength(1);
    await eventually(() => !alive(gone[0]!));
  });

  it('stops an idle session\'s process after idleTimeoutMs; the next call starts afresh', async () => {
    const a = await session();
    const first = await probe(a.client, 'brief__whoami');
    const running = await instancesOf(outlet.url, 'brief');
    expect(running.sessions).toBe(1);
    await eventually(async () => (await instancesOf(outlet.url, 'brief')).sessions === 0);
    await eventually(() => running.pids.every((pid) => !alive(pid)));
    const again = await probe(a.client, 'brief__whoami');
    expect(again.id).not.toBe(first.id);
    expect(again.calls).toBe(1);
  });

  it('refuses a session past max with GATEWAY_BUSY, and serves it once a session ends', async () => {
    const a = await session();
    const b = await session();
    await probe(a.client, 'single__whoami');
    await expect(probe(b.client, 'single__whoami')).rejects.toThrow(/runs one process per session and all 1 are taken \(instances\.max\)/);
    await a.transport.terminateSession();
    await eventually(async () => (await instancesOf(outlet.url, 'single')).sessions === 0);
    expect((await probe(b.client, 'single__whoami')).calls).toBe(1);
  });

  it('serves 2026-07-28 requests (no session) each on a process of its own, stopped after the call', async () => {
    const modern = await connectHttpClient(`${outlet.url}/mcp`, '2026-07-28');
    clients.push(modern);
    const before = await instancesOf(outlet.url, 'probe');
    const one = await probe(modern, 'probe__whoami');
    const two = await probe(modern, 'probe__whoami');
    expect(one.id).not.toBe(two.id);
    expect([one.calls, two.calls]).toEqual([1, 1]);
    const after = await instancesOf(outlet.url, 'probe');
    expect(after.sessions).toBe(before.sessions);
    expect(after.served).toBe((before.served ?? 0) + 2);
  });
});
