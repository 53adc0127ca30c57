import { Client, SSEClientTransport } from '@modelcontextprotocol/client';
import { describe, expect, it } from 'vitest';
import { suiteGateway } from '../helpers/suite-gateway.js';
import { everythingServer } from '../helpers/tool-fixtures.js';

// Clients still on the legacy HTTP+SSE transport (GET /sse, POST /messages?sessionId=) reach
// the same catalog, including a server-to-client sampling request relayed on their stream.
// Listening: the clients below connect by URL, with transports of their own.
const suite = suiteGateway({ servers: { everything: everythingServer() } }, { listen: true, ready: true });

describe.each([
  ['/sse', 'everything__'],
  ['/servers/everything/sse', ''],
])('legacy SSE client on %s', (path, prefix) => {
  it('lists, calls, and answers a relayed sampling request', async () => {
    const client = new Client({ name: 'sse-client', version: '1.0.0' }, { capabilities: { sampling: {} } });
    client.setRequestHandler('sampling/createMessage', async () => ({ model: 'm', role: 'assistant', content: { type: 'text', text: 'sampled over sse' } }));
    await client.connect(new SSEClientTransport(new URL(`${suite.url}${path}`)));
    try {
      const names = (await client.listTools()).tools.map((t) => t.name);
      expect(names).toContain(`${prefix}echo`);
      const echo = await client.callTool({ name: `${prefix}echo`, arguments: { message: 'old school' } });
      expect(echo.content).toEqual([{ type: 'text', text: 'Echo: old school' }]);
      const sampled = await client.callTool({ name: `${prefix}trigger-sampling-request`, arguments: { prompt: 'p', maxTokens: 3 } });
      expect(JSON.stringify(sampled.content)).toContain('sampled over sse');
    } finally {
      await client.close();
    }
  });
});

describe('legacy SSE errors', () => {
  it('answers 404 for a POST to an unknown session', async () => {
    const res = await fetch(`${suite.url}/messages?sessionId=nope`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"jsonrpc":"2.0","id":1,"method":"ping"}' });
    expect(res.status).toBe(404);
    const body = (await res.json()) as { error: { message: string; data: { outletCode: string } } };
    expect(body.error.message).toContain('SSE session "nope" is unknown');
    expect(body.error.data.outletCode).toBe('SESSION_NOT_FOUND');
  });

  it('answers 400 for a POST without a session id', async () => {
    const res = await fetch(`${suite.url}/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"jsonrpc":"2.0","id":1,"method":"ping"}' });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('sessionId query parameter is required');
  });
});
