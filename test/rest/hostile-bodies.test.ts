import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { suiteGateway } from '../helpers/suite-gateway.js';
import { callTool, SCHEMA_SERVER } from './helpers.js';

// Whatever a REST caller sends, the answer is one of the documented envelopes with a client-side
// status, and the gateway keeps serving: random bytes, random JSON, random tool names.
const suite = suiteGateway({ servers: { schemas: { command: process.execPath, args: [SCHEMA_SERVER] } }, http: { maxBodyBytes: 4096 } }, { ready: true });

const body = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.uint8Array({ maxLength: 200 }),
  fc.jsonValue({ maxDepth: 4 }),
  fc.record({ from: fc.jsonValue({ maxDepth: 2 }), to: fc.jsonValue({ maxDepth: 2 }) }),
  fc.constant({ from: { x: 1, y: 2 }, to: { x: 4, y: 6 } }),
);
// '.' and '..' would be resolved away by the URL before reaching the route.
const name = fc.oneof(fc.constant('schemas__route'), fc.string({ minLength: 1, maxLength: 40 }).filter((n) => n !== '.' && n !== '..'));

describe('hostile REST input', () => {
  it('always gets a REST envelope with a 2xx/4xx status, never a crash or a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(name, body, async (tool, payload) => {
        const answer = await callTool(suite.gw.fetch, tool, payload);
        expect([200, 400, 404, 413, 422]).toContain(answer.status);
        expect(typeof answer.body.success).toBe('boolean');
        expect(typeof answer.body.latency_ms).toBe('number');
        if (answer.status !== 200) expect(answer.body).toMatchObject({ success: false, code: expect.any(String), error: expect.any(String) });
      }),
      { numRuns: 60 },
    );
    const healthy = await callTool(suite.gw.fetch, 'schemas__route', { from: { x: 0, y: 0 }, to: { x: 3, y: 4 } });
    expect(healthy.body).toMatchObject({ success: true, result: { structuredContent: { distance: 5 } } });
  });
});
