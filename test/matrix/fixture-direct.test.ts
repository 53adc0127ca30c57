import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/servers.js';
import { WATCHED_URI } from '../fixtures/matrix/server.js';
import {
  CLIENT_ERAS,
  checkCancellation,
  checkElicitation,
  checkProgress,
  checkRoots,
  checkSampling,
  checkStructured,
  checkSubscription,
  connectMatrixClient,
  textOf,
  type MatrixClient,
  type Row,
} from './grid.js';

// The baseline of the matrix: the same checks against the fixture alone, no outlet in between.
// What passes here and fails through the outlet is the outlet's doing.
describe.each(CLIENT_ERAS.map((era) => [era]))('direct | client %s | fixture over stdio', (era) => {
  let mc: MatrixClient;
  let row: Row;

  beforeAll(async () => {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: ['--import', 'tsx', 'test/fixtures/matrix/main.ts'],
      cwd: REPO_ROOT,
      stderr: 'pipe',
    });
    mc = await connectMatrixClient(era, transport, `direct-${era}`);
    row = {
      mc,
      up: {
        name: era === '2026-07-28' ? 'm2026' : 'm2025',
        protocol: era === '2026-07-28' ? 'auto' : 'legacy',
        version: era === '2026-07-28' ? '2026-07-28' : '2025-11-25',
        watched: WATCHED_URI,
      },
      tool: (name) => name,
      upstreamSawCancel: async (marker) => {
        const result = await mc.client.callTool({ name: 'cancelled', arguments: {} });
        return (JSON.parse(textOf(result)) as string[]).includes(marker);
      },
    };
  }, 30_000);

  afterAll(async () => {
    await mc?.client.close();
  });

  it('negotiates its era', () => {
    expect(mc.client.getNegotiatedProtocolVersion()).toBe(era);
  });

  it('progress', () => checkProgress(row));
  it('sampling', () => checkSampling(row));
  it('elicitation', () => checkElicitation(row));
  it('roots', () => checkRoots(row));
  it('resource subscription update', () => checkSubscription(row));
  it('structured content', () => checkStructured(row));
  it('cancellation', () => checkCancellation(row, `direct-${era}`));
});
