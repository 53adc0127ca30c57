import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { testGateway } from '../helpers/gateway.js';
import { eventually } from '../helpers/outlet.js';
import { suiteGateway } from '../helpers/suite-gateway.js';
import { firstJson, ROUTING_SERVER, rpc } from './helpers.js';

// Right after an upstream dies its tools must not turn into "unknown tool" (a client error that
// makes an agent drop the tool): they stay routable and answer UPSTREAM_UNAVAILABLE with the
// server's state and last error until the supervisor has restarted it.
// An argument no other process has, so the test can find (and kill) this server's processes from outside.
const MARKER = `routing-marker-${randomUUID()}`;

// Listening: in process, the call right after the crash can reach the upstream before the supervisor
// has seen it close, and answers UPSTREAM_ERROR ("upstream process is not running"); the socket's
// round trip is what this test has always had between the two calls.
const suite = suiteGateway({ servers: { rt: { command: process.execPath, args: [ROUTING_SERVER, MARKER] } } }, { ready: true, listen: true });

describe('a tool of an upstream that was just killed', () => {
  it('answers UPSTREAM_UNAVAILABLE with the state and last error, on every way in, then works again after the restart', async () => {
    const crashed = await rpc(suite.gw.fetch, 'tools/call', { name: 'rt__crash', arguments: {} });
    expect(crashed.body.error?.data?.outletCode).toBe('UPSTREAM_CLOSED');

    // At once, before the supervisor's backoff has run out.
    const aggregate = await rpc(suite.gw.fetch, 'tools/call', { name: 'rt__echo', arguments: { n: 1 } });
    expect(aggregate.status).toBe(502);
    expect(aggregate.body.error?.code).toBe(-32010);
    expect(aggregate.body.error?.data).toMatchObject({ outletCode: 'UPSTREAM_UNAVAILABLE', server: 'rt', state: expect.stringMatching(/^(backoff|connecting)$/) });
    expect(String(aggregate.body.error?.data?.lastError)).toMatch(/closed|exited|killed/);

    const byName = await rpc(suite.gw.fetch, 'tools/call', { name: 'echo', arguments: {} }, 'rt');
    expect(byName.body.error?.data).toMatchObject({ outletCode: 'UPSTREAM_UNAVAILABLE', server: 'rt' });

    const rest = await suite.gw.fetch('/api/tools/rt__echo', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    const restBody = (await rest.json()) as { code?: string };
    expect({ status: rest.status, code: restBody.code }).toEqual({ status: 502, code: 'UPSTREAM_UNAVAILABLE' });

    // The last known tools stay listed while the server restarts (no list flapping).
    const listed = await rpc(suite.gw.fetch, 'tools/list');
    expect((listed.body.result?.tools as Array<{ name: string }>).map((t) => t.name)).toContain('rt__echo');

    const back = await eventually(async () => {
      const r = await rpc(suite.gw.fetch, 'tools/call', { name: 'rt__echo', arguments: { n: 2 } });
      return r.body.result ? r : undefined;
    });
    expect(firstJson(back!.body.result)).toMatchObject({ tool: 'echo', args: { n: 2 } });
  });
});

describe('a tool of an upstream killed from outside (SIGKILL)', () => {
  it('answers UPSTREAM_UNAVAILABLE with the state, never unknown tool, until it is back', async () => {
    await eventually(async () => (await rpc(suite.gw.fetch, 'tools/call', { name: 'rt__echo', arguments: {} })).body.result);
    const up = suite.gateway.supervisor.get('rt')!;
    const pids = execFileSync('pgrep', ['-f', MARKER], { encoding: 'utf8' }).trim().split('\n').map(Number);
    for (const pid of pids) killIfAlive(pid);
    await eventually(() => up.state !== 'connected');
    const answer = await rpc(suite.gw.fetch, 'tools/call', { name: 'rt__echo', arguments: {} });
    expect(answer.body.error?.data).toMatchObject({ outletCode: 'UPSTREAM_UNAVAILABLE', server: 'rt', state: expect.stringMatching(/^(backoff|connecting)$/) });
    await eventually(async () => (await rpc(suite.gw.fetch, 'tools/call', { name: 'rt__echo', arguments: {} })).body.result);
  });
});

describe('a tool of a server that never came up', () => {
  it('answers UPSTREAM_UNAVAILABLE with its start failure, not unknown tool', async () => {
    await using broken = await testGateway({ servers: { dead: { command: process.execPath, args: [ROUTING_SERVER], env: { ROUTING_EXIT: '3' } } } });
    const answer = await eventually(async () => {
      const r = await rpc(broken.fetch, 'tools/call', { name: 'dead__echo', arguments: {} });
      return r.body.error?.data?.lastError ? r : undefined;
    });
    expect(answer!.body.error?.data).toMatchObject({ outletCode: 'UPSTREAM_UNAVAILABLE', server: 'dead' });
    expect(String(answer!.body.error?.data?.lastError)).toContain('missing API_KEY');
    // A name under no configured prefix is still unknown.
    const unknown = await rpc(broken.fetch, 'tools/call', { name: 'nobody__echo', arguments: {} });
    expect(unknown.body.error?.data?.outletCode).toBe('UNKNOWN_TOOL');
  });
});

/** SIGKILL, where a listed process that already ended (a launcher that exec'd or exited) is fine. */
function killIfAlive(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
  }
}
