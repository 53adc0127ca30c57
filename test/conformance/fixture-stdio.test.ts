import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';

// Smoke test of the conformance fixture over stdio, in both protocol eras:
// the gateway will spawn it exactly like this as a stdio upstream.

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

function fixtureTransport(): StdioClientTransport {
  // `node --import tsx` rather than `npx tsx`: one process, so closing the
  // transport really ends the server.
  return new StdioClientTransport({
    command: process.execPath,
    args: ['--import', 'tsx', 'test/fixtures/conformance/main.ts', 'stdio'],
    cwd: repoRoot,
    stderr: 'pipe',
  });
}

const eras = [
  { label: 'default (legacy) negotiation', negotiation: undefined, expectedVersion: '2025-11-25' },
  { label: "versionNegotiation: 'auto'", negotiation: { mode: 'auto' as const }, expectedVersion: '2026-07-28' },
];

describe.each(eras)('conformance fixture over stdio, $label', ({ negotiation, expectedVersion }) => {
  it('lists tools, calls test_simple_text, and round-trips a sampling request', async () => {
    const client = new Client(
      { name: 'fixture-smoke', version: '1.0.0' },
      { capabilities: { sampling: {} }, ...(negotiation && { versionNegotiation: negotiation }) },
    );
    // On 2025 this answers a real server-to-client request; on 2026-07-28 the
    // client runs the same handler to fulfil an input_required result.
    client.setRequestHandler('sampling/createMessage', () => ({
      role: 'assistant',
      content: { type: 'text', text: 'pong' },
      model: 'smoke-model',
    }));
    await client.connect(fixtureTransport());
    try {
      expect(client.getNegotiatedProtocolVersion()).toBe(expectedVersion);

      const { tools } = await client.listTools();
      expect(tools.map((tool) => tool.name)).toContain('test_simple_text');

      const simple = await client.callTool({ name: 'test_simple_text', arguments: {} });
      expect(simple.content).toEqual([{ type: 'text', text: 'This is a simple text response for testing.' }]);

      const sampled = await client.callTool({ name: 'test_sampling', arguments: { prompt: 'ping' } });
      expect(sampled.content).toEqual([{ type: 'text', text: 'LLM response: pong' }]);
    } finally {
      await client.close();
    }
  });
});
