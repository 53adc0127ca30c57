import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OUTLET_BIN, REPO_ROOT } from '../helpers/servers.js';
import {
  CLIENT_ERAS,
  UPSTREAMS,
  checkCancellation,
  checkElicitation,
  checkProgress,
  checkRoots,
  checkSampling,
  checkStructured,
  checkSubscription,
  connectMatrixClient,
  fixtureServers,
  textOf,
  type MatrixClient,
  type Row,
} from './grid.js';

// The protocol matrix over stdio inbound (`outlet stdio --config F`, launched as a desktop client
// launches it): every client era against both upstream eras, through the aggregated catalog that
// `outlet stdio` serves. A stdio outlet serves exactly one client, so each client era gets its own
// outlet process (with its own two fixture upstreams).
//
// The upstream's stderr stays inside that process (its console buffer; no HTTP /logs here), so
// cancellation is checked with the fixture's `cancelled` tool, which lists the markers of the
// `slow` calls whose handler saw the abort.
let dir: string;
let configPath: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'outlet-matrix-'));
  configPath = join(dir, 'outlet.config.json');
  writeFileSync(configPath, JSON.stringify({ servers: fixtureServers(REPO_ROOT) }));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe.each(CLIENT_ERAS.map((era) => [era]))('stdio | client %s', (era) => {
  let mc: MatrixClient;

  beforeAll(async () => {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [OUTLET_BIN, 'stdio', '--config', configPath],
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH ?? '', OUTLET_LOG_LEVEL: 'silent' },
      stderr: 'pipe',
    });
    mc = await connectMatrixClient(era, transport, `stdio-${era}`);
  }, 60_000);

  afterAll(async () => {
    await mc?.client.close();
  });

  it('negotiates its era', () => {
    expect(mc.client.getNegotiatedProtocolVersion()).toBe(era);
  });

  describe.each(UPSTREAMS.map((up) => [`${up.name} (${up.version})`, up] as const))('upstream %s', (_name, up) => {
    const label = `stdio-${era}-${up.name}`;
    let row: Row;

    beforeAll(() => {
      row = {
        mc,
        up,
        tool: (name) => `${up.name}__${name}`,
        upstreamSawCancel: async (marker) => {
          const result = await mc.client.callTool({ name: `${up.name}__cancelled`, arguments: {} });
          return (JSON.parse(textOf(result)) as string[]).includes(marker);
        },
      };
    });

    it('progress', () => checkProgress(row));
    it('sampling', () => checkSampling(row));
    it('elicitation', () => checkElicitation(row));
    it('roots', () => checkRoots(row));
    it('resource subscription update', () => checkSubscription(row));
    it('structured content', () => checkStructured(row));
    // Last: a cancellation that does not arrive leaves the call running upstream for a while.
    it('cancellation', () => checkCancellation(row, label));
  });
});
