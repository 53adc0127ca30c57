import type { JSONRPCMessage } from '@modelcontextprotocol/client';
import { describe, expect, it } from 'vitest';
import { StdioClientProcessTransport } from '../../src/upstream/stdio-transport.js';

// The transport's own part in crash handling, without a gateway: a process that cannot start, and
// one that dies with requests in flight.
const spec = (command: string, args: string[] = []) => ({ command, args, env: { PATH: '/usr/bin:/bin' }, cwd: '/' });

describe('StdioClientProcessTransport when the process ends', () => {
  it('reports a command that cannot be spawned once, and closes without waiting', async () => {
    const exits: Array<[number | null, string | null]> = [];
    const transport = new StdioClientProcessTransport({ spec: spec('/nonexistent/server'), onExit: (code, signal) => void exits.push([code, signal]) });
    let closed = 0;
    transport.onclose = () => closed++;
    await expect(transport.start()).rejects.toThrow(/cannot start "\/nonexistent\/server".*ENOENT/);
    await new Promise((r) => setTimeout(r, 20));
    expect(exits).toHaveLength(1);
    await transport.close();
    expect(closed).toBe(1);
  });

  it('answers each request still waiting with UPSTREAM_CLOSED and the reason onExit gives, then closes', async () => {
    const script = 'process.stdin.once("data", () => setTimeout(() => process.exit(7), 50))';
    const transport = new StdioClientProcessTransport({ spec: spec(process.execPath, ['-e', script]), onExit: (code) => `it ended with ${code}` });
    const seen: string[] = [];
    const messages: JSONRPCMessage[] = [];
    transport.onmessage = (m) => void messages.push(m);
    await transport.start();
    await transport.send({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: {} });
    await transport.send({ jsonrpc: '2.0', id: 'b', method: 'tools/list' });
    await transport.send({ jsonrpc: '2.0', id: 3, method: 'ping' });
    await transport.send({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 3 } });
    await new Promise<void>((resolve) => (transport.onclose = () => (seen.push(`close after ${messages.length}`), resolve())));
    const error = { code: -32011, message: 'it ended with 7 before it answered', data: { outletCode: 'UPSTREAM_CLOSED' } };
    expect(messages).toEqual([
      { jsonrpc: '2.0', id: 1, error },
      { jsonrpc: '2.0', id: 'b', error },
    ]);
    expect(seen).toEqual(['close after 2']); // the answers come first, the close after them
  });
});
