import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { armWallClock, createSandboxWrapper, resolveSandboxProfile, type SandboxedSpawn, type SandboxSupport } from '../../src/sandbox/index.js';
import type { SpawnSpec } from '../../src/sandbox/spawn-spec.js';
import { REPO_ROOT, hostile, support } from './caged-server.js';

const host: SandboxSupport = { root: support.root, uid: support.uid, bwrap: { path: '/usr/bin/bwrap', usable: true }, cgroup: { v1: {} } };
const spec: SpawnSpec = { command: 'node', args: [hostile('fs-probe.mjs')], env: { PATH: '/usr/bin:/bin' }, cwd: REPO_ROOT };

describe('createSandboxWrapper', () => {
  it('keeps one cleanup per spawn: onExit releases the oldest, dispose the rest', () => {
    const wrapper = createSandboxWrapper(resolveSandboxProfile({}, { support: host }), host);
    const first = wrapper.wrapSpawn(spec).cwd;
    const second = wrapper.wrapSpawn(spec).cwd;
    expect(wrapper.held).toBe(2);
    expect(existsSync(first) && existsSync(second)).toBe(true);
    wrapper.onExit();
    expect(existsSync(first)).toBe(false);
    expect(existsSync(second)).toBe(true);
    wrapper.dispose();
    wrapper.dispose();
    expect(existsSync(second)).toBe(false);
    expect(wrapper.held).toBe(0);
  });

  it('reports each build to onSpawn, so the gateway can log the warning of an unconfined server', () => {
    const seen: SandboxedSpawn[] = [];
    const wrapper = createSandboxWrapper(resolveSandboxProfile({ backend: 'none' }, { support: host }), host, { onSpawn: (r) => seen.push(r) });
    expect(wrapper.wrapSpawn(spec)).toBe(spec);
    expect(seen[0]?.warning).toMatch(/SANDBOX DISABLED/);
    expect(wrapper.last).toBe(seen[0]);
    wrapper.onExit();
  });
});

describe('armWallClock', () => {
  it('kills after the deadline unless disarmed', async () => {
    let killed = 0;
    armWallClock(0.05, () => killed++);
    const disarm = armWallClock(0.05, () => killed++);
    disarm();
    armWallClock(undefined, () => killed++)();
    await new Promise((r) => setTimeout(r, 120));
    expect(killed).toBe(1);
  });
});
