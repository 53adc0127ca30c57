import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutletRuntime } from '../../src/outlet/runtime.js';
import { eventually, startTestOutlet, waitReady } from '../helpers/outlet.js';
import { FIXTURE_SANDBOX, META_ECHO, inlineFixture, rpc } from './helpers.js';

/**
 * Inline servers have a process budget of their own (rpc.maxProcesses): callers of /rpc filling
 * it never take the slot a configured server needs to restart (limits.maxProcesses).
 */
const MARKER = `OUTLET_BUDGET_MARKER=steady-${process.pid}`;
let outlet: OutletRuntime;

beforeAll(async () => {
  outlet = await startTestOutlet({
    limits: { maxProcesses: 1 },
    upstream: { connectTimeoutMs: 2000 },
    servers: { steady: { command: process.execPath, args: [META_ECHO], env: { OUTLET_BUDGET_MARKER: MARKER.split('=')[1]! } } },
    rpc: { enabled: true, sandbox: FIXTURE_SANDBOX, allowCommands: [process.execPath], maxProcesses: 2, maxInstances: 4 },
    observability: { metrics: { process: false } },
  });
  await waitReady(outlet.url);
});

afterAll(async () => {
  await outlet?.close();
});

/** Host pids whose environment carries the configured server's marker (its launcher chain and the server). */
function steadyPids(): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(MARKER);
      } catch {
        return false;
      }
    })
    .map(Number);
}

async function restartsOfSteady(): Promise<{ state: string; restarts: number }> {
  const body = (await (await fetch(`${outlet.url}/ready`)).json()) as { upstreams: { name: string; state: string; restarts: number }[] };
  return body.upstreams.find((u) => u.name === 'steady')!;
}

const inlineCall = (flavour: string) => rpc(outlet.url, 'tools/list', { _meta: { 'outlet/server': inlineFixture({ env: { FLAVOUR: flavour } }) } });

describe('the inline process budget', () => {
  it('runs inline servers up to rpc.maxProcesses beside a configured server at limits.maxProcesses, then refuses the next one, naming that budget', async () => {
    expect((await inlineCall('a')).status).toBe(200);
    expect((await inlineCall('b')).status).toBe(200);
    const third = await inlineCall('c');
    // The start waited its connect timeout for a slot, then the call failed saying which budget is full.
    expect(third.body.error!.message).toContain("the inline servers' process budget (rpc.maxProcesses = 2) stayed reached");
  });

  it('lets a configured server that crashes restart while inline servers hold their whole budget', async () => {
    const before = (await restartsOfSteady()).restarts;
    const pids = steadyPids();
    expect(pids.length).toBeGreaterThan(0);
    for (const pid of pids) process.kill(pid, 'SIGKILL');
    await eventually(async () => {
      const steady = await restartsOfSteady();
      return steady.restarts > before && steady.state === 'connected';
    });
    const named = await rpc(outlet.url, 'tools/list', { _meta: { 'outlet/serverName': 'steady' } });
    expect(named.status).toBe(200);
    // The inline servers are still there, untouched.
    expect((await inlineCall('a')).status).toBe(200);
  });
});
