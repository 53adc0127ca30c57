import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { eventually } from '../helpers/outlet.js';
import { suiteGateway } from '../helpers/suite-gateway.js';
import { PROBE, alive, instancesOf, probe } from './helpers.js';

// per-request: every call on a process no call used before, taken from warm spares.
const watched = mkdtempSync(join(tmpdir(), 'outlet-probe-'));
// As root the sandboxed server runs as uid 65534, which must be able to look into the directory.
chmodSync(watched, 0o755);

const suite = suiteGateway(
  {
    servers: {
      probe: { command: process.execPath, args: [PROBE, watched], instances: { mode: 'per-request', spares: 2 } },
      cold: { command: process.execPath, args: [PROBE], instances: { mode: 'per-request', spares: 0, acquireTimeoutMs: 1 } },
      warmed: { command: process.execPath, args: [PROBE], instances: { mode: 'per-request', spares: 1, warmup: [{ method: 'tools/call', params: { name: 'whoami', arguments: {} } }] } },
    },
  },
  { ready: true, client: { era: 'legacy' } },
);

describe('warm-up requests', () => {
  it('reach each fresh process before a caller gets it', async () => {
    const answers = [await probe(suite.client, 'warmed__whoami'), await probe(suite.client, 'warmed__whoami')];
    // Each call is a fresh process that had already served the warm-up call.
    expect(answers.map((a) => a.calls)).toEqual([2, 2]);
    expect(answers[0]!.id).not.toBe(answers[1]!.id);
  });
});

describe('per-request instances', () => {
  it('keeps the spares warm and reports the mode in /ready', async () => {
    const status = await eventually(async () => {
      const s = await instancesOf(suite.gw.fetch, 'probe');
      return s.spares === 2 ? s : undefined;
    });
    expect(status!).toMatchObject({ mode: 'per-request', state: 'connected', running: 2, busy: 0, spares: 2 });
    expect(status!.pids).toHaveLength(2);
  });

  it('runs each call on a fresh process, closes it after, and refills the spares', async () => {
    const before = await instancesOf(suite.gw.fetch, 'probe');
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push(await probe(suite.client, 'probe__whoami'));
    // Five processes, each of which served exactly this one call.
    expect(new Set(answers.map((a) => a.id)).size).toBe(5);
    expect(answers.every((a) => a.calls === 1)).toBe(true);
    const after = await eventually(async () => {
      const s = await instancesOf(suite.gw.fetch, 'probe');
      return s.spares === 2 && s.busy === 0 && s.served === (before.served ?? 0) + 5 ? s : undefined;
    });
    // The spares of before were used and stopped; the ones now are new processes.
    for (const pid of before.pids) expect(after!.pids).not.toContain(pid);
    await eventually(() => before.pids.every((pid) => !alive(pid)));
  });

  it('serves a burst wider than the spares by waiting for fresh processes, never reusing one', async () => {
    const answers = await Promise.all(Array.from({ length: 6 }, () => probe(suite.client, 'probe__hold', { ms: 50 })));
    expect(new Set(answers.map((a) => a.id)).size).toBe(6);
    expect(answers.every((a) => a.calls === 1)).toBe(true);
  });

  it('fails a call with GATEWAY_BUSY when no fresh process is ready within acquireTimeoutMs', async () => {
    await expect(probe(suite.client, 'cold__whoami')).rejects.toThrow(/no fresh instance of "cold" became ready within 1 ms/);
  });

  it('publishes the catalog of its lister, and follows the lister\'s list_changed', async () => {
    const names = async () => (await suite.client.listTools()).tools.map((t) => t.name);
    expect(await names()).toEqual(expect.arrayContaining(['probe__whoami', 'probe__hold', 'probe__ask']));
    expect(await names()).not.toContain('probe__extra');
    writeFileSync(join(watched, 'extra'), '');
    await eventually(async () => (await names()).includes('probe__extra'));
  });
});
