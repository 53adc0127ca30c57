import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectSandboxSupport } from '../../src/sandbox/index.js';
import { eventually } from '../helpers/outlet.js';
import { suiteGateway } from '../helpers/suite-gateway.js';
import { tinyServer } from '../helpers/tool-fixtures.js';
import { processesOf } from '../sandbox/caged-server.js';
import { callTool, healthyAnswers, hostileEntry, probeOutcome, processesWith, readyOf, uniqueMarker } from './helpers.js';

// A fork bomb, a memory hog and a disk filler, each configured with no limit at all: the defaults
// alone must stop them, while a healthy neighbour keeps answering through the same gateway.
const support = detectSandboxSupport();
/** A uid no other test uses, so "nothing left running as it" is about this fork bomb alone. */
const BOMB_UID = 64_823;
const markers = { hog: uniqueMarker('dhog'), bomb: uniqueMarker('dbomb'), filler: uniqueMarker('dfill') };

const suite = suiteGateway(
  {
    servers: {
      healthy: tinyServer(),
      hog: hostileEntry('memory-hog.mjs', markers.hog),
      bomb: hostileEntry('fork-bomb.mjs', markers.bomb, { sandbox: { uid: BOMB_UID, gid: BOMB_UID } }),
      filler: hostileEntry('disk-filler.mjs', markers.filler),
    },
  },
  { ready: true, client: { era: 'legacy' } },
);

describe('the default bounds of a sandboxed server, through the gateway', () => {
  it('runs as root where bubblewrap and the cgroup v1 memory, pids and cpu controllers work (this machine kind and CI)', () => {
    expect(support.bwrap.usable, support.bwrap.error ?? 'bwrap is not usable').toBe(true);
    expect(support.root, 'the defaults below are enforced by cgroups, which need root here').toBe(true);
    for (const controller of ['memory', 'pids', 'cpu'] as const) expect(support.cgroup.v1[controller]?.usable, controller).toBe(true);
  });

  it('lists every default bound as enforced in /ready', async () => {
    const enforced = (await readyOf(suite.gw.fetch, 'filler'))?.sandbox?.enforced.join('\n');
    expect(enforced).toMatch(/^memory: 1024 MiB for the whole tree/m);
    expect(enforced).toMatch(/^pids: 256 tasks for the whole tree/m);
    expect(enforced).toMatch(/^cpu: 1 core\(s\) for the whole tree \(cgroup v1 CPU quota/m);
    expect(enforced).toMatch(/^disk: \/tmp is a private tmpfs of 256 MiB/m);
    expect(enforced).toMatch(/^disk: the scratch directory \(HOME\) is a private tmpfs of 512 MiB/m);
  });

  it('puts the server\'s processes in cgroups with those values', () => {
    const [pid] = processesWith(markers.filler);
    expect(pid, 'the filler server runs').toBeDefined();
    const groups = new Map(
      readFileSync(`/proc/${pid}/cgroup`, 'utf8')
        .trim()
        .split('\n')
        .map((line) => line.split(':'))
        .flatMap(([, controllers, path]) => (controllers ?? '').split(',').map((c) => [c, path ?? ''] as const)),
    );
    const value = (controller: string, file: string): string => readFileSync(join('/sys/fs/cgroup', controller, groups.get(controller) ?? '', file), 'utf8').trim();
    expect(value('memory', 'memory.limit_in_bytes')).toBe(String(1024 * 1024 * 1024));
    expect(value('pids', 'pids.max')).toBe('256');
    expect(value('cpu', 'cpu.cfs_quota_us')).toBe('100000');
    expect(value('cpu', 'cpu.cfs_period_us')).toBe('100000');
  });

  it('stops a fork bomb of 1,500 processes at the default pids limit; it and its neighbour keep answering', async () => {
    const outcome = probeOutcome(await callTool(suite.client, 'bomb__fork_bomb', { max: 1500 }));
    expect(outcome).toMatchObject({ ok: true, firstError: 'EAGAIN' });
    expect(outcome.started as number).toBeLessThan(256);
    expect(await healthyAnswers(suite.client)).toBe(true);
    expect((await readyOf(suite.gw.fetch, 'bomb'))?.state).toBe('connected');
  });

  it('kills a 2.5 GB memory hog at the default memory limit, says so to the caller, and restarts it', async () => {
    const [outcome, healthy] = await Promise.all([callTool(suite.client, 'hog__hog', { mb: 2560 }), healthyAnswers(suite.client)]);
    expect(healthy).toBe(true);
    expect(outcome.error?.code).toBe(-32011);
    expect(outcome.error?.message).toBe('upstream "hog" was killed at its memory limit (1024 MiB) before it answered');
    const status = await eventually(async () => {
      const s = await readyOf(suite.gw.fetch, 'hog');
      return s?.state === 'connected' && s.restarts >= 1 ? s : undefined;
    });
    expect(status!.killedForLimit).toMatchObject({ memory: 1 });
  });

  it('stops a disk filler at the size of /tmp and of HOME with ENOSPC, and the server goes on serving', async () => {
    const tmp = probeOutcome(await callTool(suite.client, 'filler__fill', { dir: '/tmp', mb: 2048 }));
    expect(tmp).toMatchObject({ ok: true, target: '/tmp', firstError: 'ENOSPC' });
    expect(tmp.writtenMb as number).toBeLessThanOrEqual(256);
    const home = probeOutcome(await callTool(suite.client, 'filler__fill', { dir: 'HOME', mb: 2048 }));
    expect(home).toMatchObject({ ok: true, firstError: 'ENOSPC' });
    expect(home.target).toMatch(/mcp-outlet-/);
    expect(home.writtenMb as number).toBeLessThanOrEqual(512);
    expect(probeOutcome(await callTool(suite.client, 'filler__fill', { dir: '/tmp', mb: 1 }))).toMatchObject({ ok: true, writtenMb: 1, firstError: null });
    expect(await healthyAnswers(suite.client)).toBe(true);
  });

  it('leaves none of the fork bomb\'s processes behind once the gateway closes', async () => {
    await suite.gw.close();
    expect(await eventually(() => processesOf(BOMB_UID).length === 0, 5000)).toBe(true);
  });
});
