import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutletRuntime } from '../../src/outlet/runtime.js';
import { eventually, startTestOutlet, waitReady } from '../helpers/outlet.js';
import { EVERYTHING, TINY } from '../helpers/servers.js';
import { EVERYTHING_ROUTES } from '../helpers/tool-fixtures.js';

// What most gateways drop, through the outlet: progress, cancellation, sampling and elicitation,
// with server-everything behind both the per-server and the aggregated endpoint, and a sampling
// request reaching only the session whose call caused it.
let outlet: OutletRuntime;

beforeAll(async () => {
  outlet = await startTestOutlet({
    servers: {
      everything: { command: process.execPath, args: [EVERYTHING, 'stdio'] },
      tiny: { command: process.execPath, args: [TINY], env: { TINY_SLOW: '1' } },
    },
  });
  await waitReady(outlet.url);
});

afterAll(async () => {
  await outlet?.close();
});

interface Seen {
  sampling: unknown[];
  elicitation: unknown[];
}

/** A 2025-11-25 client that answers sampling and elicitation, recording what it was asked. */
async function interactiveClient(url: string, label: string): Promise<{ client: Client; seen: Seen }> {
  const seen: Seen = { sampling: [], elicitation: [] };
  const client = new Client({ name: label, version: '1.0.0' }, { capabilities: { sampling: {}, elicitation: { form: {} } } });
  client.setRequestHandler('sampling/createMessage', async (req) => {
    seen.sampling.push(req.params);
    return { model: 'test-model', role: 'assistant', content: { type: 'text', text: `sampled by ${label}` } };
  });
  client.setRequestHandler('elicitation/create', async (req) => {
    seen.elicitation.push(req.params);
    return { action: 'decline' };
  });
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  return { client, seen };
}

describe.each(EVERYTHING_ROUTES)('server-everything through %s', (path, prefix) => {
  let client: Client;
  let seen: Seen;
  beforeAll(async () => {
    ({ client, seen } = await interactiveClient(`${outlet.url}${path}`, 'solo'));
  });
  afterAll(async () => {
    await client?.close();
  });

  it('relays progress of a long-running operation to the caller', async () => {
    const progress: number[] = [];
    const result = await client.callTool(
      { name: `${prefix}trigger-long-running-operation`, arguments: { duration: 1, steps: 4 } },
      { onprogress: (p) => progress.push(p.progress) },
    );
    expect(JSON.stringify(result.content)).toContain('completed');
    // The SDK client can drop the very last notification that races the response (SDK issue 2580).
    expect(progress.length).toBeGreaterThanOrEqual(3);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
  });

  it('cancels the long-running operation: the call ends at once and nothing waits on it upstream', async () => {
    // server-everything's operation never reads its abort signal, so it cannot be stopped inside
    // that server; the gateway's part is to forward the cancellation and release the call (the
    // tiny fixture's slow tool and the matrix fixture show an upstream that honours it stopping).
    const abort = new AbortController();
    let progressed = 0;
    const call = client.callTool(
      { name: `${prefix}trigger-long-running-operation`, arguments: { duration: 20, steps: 40 } },
      { signal: abort.signal, onprogress: () => void (++progressed === 1 && abort.abort()) },
    );
    await expect(call).rejects.toThrow(/abort/i);
    const everything = outlet.gateway.supervisor.get('everything')!;
    await eventually(() => everything.live().inflight.size === 0);
  });

  it('relays a sampling request to the client and its answer back', async () => {
    const result = await client.callTool({ name: `${prefix}trigger-sampling-request`, arguments: { prompt: 'say hi', maxTokens: 5 } });
    expect(seen.sampling).toHaveLength(1);
    expect(JSON.stringify(seen.sampling[0])).toContain('say hi');
    expect(JSON.stringify(result.content)).toContain('sampled by solo');
    seen.sampling.length = 0;
  });

  it('relays an elicitation request to the client and its answer back', async () => {
    const result = await client.callTool({ name: `${prefix}trigger-elicitation-request`, arguments: {} });
    expect(seen.elicitation).toHaveLength(1);
    expect(JSON.stringify(result.content).toLowerCase()).toContain('decline');
  });
});

describe('cancellation', () => {
  it('reaches the upstream, which stops the call', async () => {
    const { client } = await interactiveClient(`${outlet.url}/mcp`, 'canceller');
    try {
      const abort = new AbortController();
      let progressed = 0;
      const call = client.callTool({ name: 'tiny__slow', arguments: {} }, {
        signal: abort.signal,
        onprogress: () => {
          if (++progressed === 2) abort.abort('enough');
        },
      });
      await expect(call).rejects.toThrow();
      const tiny = outlet.gateway.supervisor.get('tiny')!;
      await eventually(() => tiny.console.tail().some((l) => l.line === 'slow: cancelled'));
      expect(tiny.live().inflight.size).toBe(0);
    } finally {
      await client.close();
    }
  });
});

describe('ending a session', () => {
  it('cancels the calls it still has running upstream', async () => {
    const client = new Client({ name: 'leaver', version: '1.0.0' });
    const transport = new StreamableHTTPClientTransport(new URL(`${outlet.url}/mcp`));
    await client.connect(transport);
    const tiny = outlet.gateway.supervisor.get('tiny')!;
    const cancelledBefore = tiny.console.tail().filter((l) => l.line === 'slow: cancelled').length;
    const running = client.callTool({ name: 'tiny__slow', arguments: {} }).catch(() => undefined);
    await eventually(() => tiny.live().inflight.size === 1);
    await transport.terminateSession(); // DELETE: the session, and what it was waiting for, is over
    await eventually(() => tiny.console.tail().filter((l) => l.line === 'slow: cancelled').length > cancelledBefore);
    expect(tiny.live().inflight.size).toBe(0);
    await client.close();
    await running;
  });
});

describe('two sessions sharing one upstream instance', () => {
  it('send a sampling request only to the session whose call caused it', async () => {
    const a = await interactiveClient(`${outlet.url}/mcp`, 'alice');
    const b = await interactiveClient(`${outlet.url}/mcp`, 'bob');
    try {
      await b.client.listTools(); // bob is connected and active, but has no call in flight
      const result = await a.client.callTool({ name: 'everything__trigger-sampling-request', arguments: { prompt: 'for alice', maxTokens: 5 } });
      expect(JSON.stringify(result.content)).toContain('sampled by alice');
      expect(a.seen.sampling).toHaveLength(1);
      expect(b.seen.sampling).toHaveLength(0);
    } finally {
      await a.client.close();
      await b.client.close();
    }
  });

  it('refuse to guess when calls from both sessions are in flight', async () => {
    const a = await interactiveClient(`${outlet.url}/mcp`, 'alice');
    const b = await interactiveClient(`${outlet.url}/mcp`, 'bob');
    try {
      const abort = new AbortController();
      // bob holds a call open on the same upstream...
      const holding = b.client.callTool({ name: 'everything__trigger-long-running-operation', arguments: { duration: 3, steps: 3 } }, { signal: abort.signal }).catch(() => undefined);
      await new Promise((r) => setTimeout(r, 200));
      // ...so alice's sampling request cannot be attributed: the upstream gets a clear error
      const result = await a.client.callTool({ name: 'everything__trigger-sampling-request', arguments: { prompt: 'whose?', maxTokens: 5 } }).catch((e: Error) => ({ error: e.message }));
      expect(JSON.stringify(result)).toMatch(/cannot route sampling\/createMessage request/);
      expect(a.seen.sampling).toHaveLength(0);
      expect(b.seen.sampling).toHaveLength(0);
      abort.abort();
      await holding;
      // Let bob's cancellation reach the upstream before the clients close (closing first would
      // drop it, and a 2025 session outlives a dropped stream, so the call would run on).
      await eventually(() => outlet.gateway.supervisor.get('everything')!.live().inflight.size === 0);
    } finally {
      await a.client.close();
      await b.client.close();
    }
  });
});

describe('a 2026-07-28 client in front of a 2025-era upstream', () => {
  it('gets the upstream\'s sampling and elicitation requests as input_required rounds, answers them, and gets the result', async () => {
    const seen: string[] = [];
    const client = new Client(
      { name: 'modern', version: '1.0.0' },
      { versionNegotiation: { mode: { pin: '2026-07-28' } }, capabilities: { sampling: {}, elicitation: { form: {} } } },
    );
    client.setRequestHandler('sampling/createMessage', async () => {
      seen.push('sampling');
      return { model: 'm', role: 'assistant', content: { type: 'text', text: 'bridged answer' } };
    });
    client.setRequestHandler('elicitation/create', async () => {
      seen.push('elicitation');
      return { action: 'decline' };
    });
    await client.connect(new StreamableHTTPClientTransport(new URL(`${outlet.url}/mcp`)));
    try {
      expect(client.getNegotiatedProtocolVersion()).toBe('2026-07-28');
      expect(outlet.gateway.supervisor.get('everything')!.status().protocolVersion).toBe('2025-11-25');
      const sampled = await client.callTool({ name: 'everything__trigger-sampling-request', arguments: { prompt: 'bridge me', maxTokens: 5 } });
      expect(JSON.stringify(sampled.content)).toContain('bridged answer');
      const elicited = await client.callTool({ name: 'everything__trigger-elicitation-request', arguments: {} });
      expect(JSON.stringify(elicited.content).toLowerCase()).toContain('decline');
      expect(seen).toEqual(['sampling', 'elicitation']);
    } finally {
      await client.close();
    }
  });
});
