import { StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutletRuntime } from '../../src/outlet/runtime.js';
import { startTestOutlet, waitReady } from '../helpers/outlet.js';
import { REPO_ROOT } from '../helpers/servers.js';
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
  type ClientEra,
  type Row,
  type Upstream,
} from './grid.js';

// The protocol matrix over Streamable HTTP inbound: every client era against both upstream eras
// on the per-server endpoint, plus one row through the aggregated /mcp. One outlet for the file.
let outlet: OutletRuntime;

beforeAll(async () => {
  outlet = await startTestOutlet({ servers: fixtureServers(REPO_ROOT) });
  await waitReady(outlet.url, 40_000);
}, 60_000);

afterAll(async () => {
  await outlet?.close();
});

interface HttpCase {
  endpoint: 'per-server' | 'aggregated';
  era: ClientEra;
  up: Upstream;
}

// Rows run in this order, one after another. A cancellation that never reaches an upstream keeps
// that call in the outlet's in-flight set until the fixture gives up (10 s), and meanwhile the
// outlet cannot attribute that upstream's sampling requests to another session's call.
const cases: HttpCase[] = [
  ...CLIENT_ERAS.flatMap((era) => UPSTREAMS.map((up): HttpCase => ({ endpoint: 'per-server', era, up }))),
  { endpoint: 'aggregated', era: '2025-11-25', up: UPSTREAMS[1]! },
];

const named = cases.map((c) => [`http ${c.endpoint} | client ${c.era} | upstream ${c.up.name} (${c.up.version})`, c] as const);

describe.each(named)('%s', (_name, { endpoint, era, up }) => {
  const label = `http-${endpoint}-${era}-${up.name}`;
  let row: Row;

  beforeAll(async () => {
    const path = endpoint === 'per-server' ? `/servers/${up.name}/mcp` : '/mcp';
    const mc = await connectMatrixClient(era, new StreamableHTTPClientTransport(new URL(`${outlet.url}${path}`)), label);
    row = {
      mc,
      up,
      tool: (name) => (endpoint === 'per-server' ? name : `${up.name}__${name}`),
      upstreamSawCancel: async (marker) => {
        const res = await fetch(`${outlet.url}/api/servers/${up.name}/logs?limit=1000`);
        const body = (await res.json()) as { lines: Array<{ line: string }> };
        return body.lines.some((l) => l.line === `slow: cancelled ${marker}`);
      },
    };
  });

  afterAll(async () => {
    await row?.mc.client.close();
  });

  it('negotiates the client era in front, the upstream era behind', () => {
    expect(row.mc.client.getNegotiatedProtocolVersion()).toBe(era);
    expect(outlet.gateway.supervisor.get(up.name)!.status().protocolVersion).toBe(up.version);
  });

  it('progress', () => checkProgress(row));
  it('sampling', () => checkSampling(row));
  it('elicitation', () => checkElicitation(row));
  it('roots', () => checkRoots(row));
  it('resource subscription update', () => checkSubscription(row));
  it('structured content', () => checkStructured(row));
  // Last: a cancellation that does not arrive leaves the call running upstream for a while.
  it('cancellation', async () => {
    await checkCancellation(row, label);
    expect(outlet.gateway.supervisor.get(up.name)!.live().inflight.size).toBe(0);
  });
});
