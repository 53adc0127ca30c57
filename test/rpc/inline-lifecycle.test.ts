import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutletRuntime } from '../../src/outlet/runtime.js';
import { eventually, startTestOutlet } from '../helpers/outlet.js';
import { FIXTURE_SANDBOX, inlineFixture, rpc } from './helpers.js';

/** Inline servers expire when idle, and the least recently used idle one makes room at the cap. */
let quick: OutletRuntime;
let small: OutletRuntime;

beforeAll(async () => {
  const observability = { metrics: { process: false } };
  quick = await startTestOutlet({ rpc: { enabled: true, sandbox: FIXTURE_SANDBOX, allowCommands: [process.execPath], idleTimeoutMs: 300 }, observability });
  small = await startTestOutlet({ rpc: { enabled: true, sandbox: FIXTURE_SANDBOX, allowCommands: [process.execPath], maxInstances: 2 }, observability });
});

afterAll(async () => {
  await Promise.all([quick?.close(), small?.close()]);
});

const inlineNames = async (outlet: OutletRuntime): Promise<string[]> => ((await rpc(outlet.url, 'outlet/servers')).body.result!.inline as { name: string }[]).map((s) => s.name);

async function callAs(outlet: OutletRuntime, flavour: string): Promise<string> {
  const answer = await rpc(outlet.url, 'tools/call', { name: 'sleep', arguments: { ms: 1 }, _meta: { 'outlet/server': inlineFixture({ env: { FLAVOUR: flavour } }), 'outlet/trace': true } });
  expect(answer.status).toBe(200);
  return ((answer.body.result!._meta as Record<string, { instance: { name: string } }>)['outlet/trace']!).instance.name;
}

describe('inline server lifecycle', () => {
  it('stops an instance left idle past rpc.idleTimeoutMs', async () => {
    const name = await callAs(quick, 'idle');
    expect(await inlineNames(quick)).toContain(name);
    expect(await eventually(async () => !(await inlineNames(quick)).includes(name), 10_000)).toBe(true);
  });

  it('at rpc.maxInstances, stops the least recently used idle instance to start a new one', async () => {
    const a = await callAs(small, 'a');
    const b = await callAs(small, 'b');
    await callAs(small, 'a'); // a is now the more recently used
    const c = await callAs(small, 'c');
    const running = await inlineNames(small);
    expect(running).toHaveLength(2);
    expect(running).toEqual(expect.arrayContaining([a, c]));
    expect(running).not.toContain(b);
  });
});
