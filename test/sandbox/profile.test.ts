import { describe, expect, it } from 'vitest';
import { isOutletError } from '../../src/errors/index.js';
import { resolveSandboxProfile, sandboxProfileSchema, type SandboxSupport } from '../../src/sandbox/index.js';

const withBwrap: SandboxSupport = { root: true, uid: 0, bwrap: { path: '/usr/bin/bwrap', usable: true }, cgroup: { v1: {} } };
const withoutBwrap: SandboxSupport = { ...withBwrap, bwrap: { usable: false, error: 'bwrap was not found on PATH' } };

describe('the sandbox config block', () => {
  it('accepts a full profile and defaults a mount to read-only', () => {
    const parsed = sandboxProfileSchema.parse({
      backend: 'bubblewrap',
      mounts: [{ path: '/data' }, { path: '/out', mode: 'rw' }],
      env: ['LANG'],
      network: 'host',
      limits: { memoryMb: 256, pids: 64, cpuSeconds: 10, openFiles: 256, wallClockSeconds: 600, outputBytesPerSecond: 1_000_000 },
      uid: 1234,
      gid: 1234,
    });
    expect(parsed.mounts).toEqual([{ path: '/data', mode: 'ro' }, { path: '/out', mode: 'rw' }]);
  });

  it('rejects uid 0, unknown keys, bad env names and non-positive limits', () => {
    expect(sandboxProfileSchema.safeParse({ uid: 0 }).success).toBe(false);
    expect(sandboxProfileSchema.safeParse({ gid: 0 }).success).toBe(false);
    expect(sandboxProfileSchema.safeParse({ netwrok: 'none' }).success).toBe(false);
    expect(sandboxProfileSchema.safeParse({ env: ['NOT-A-NAME'] }).success).toBe(false);
    expect(sandboxProfileSchema.safeParse({ limits: { pids: 0 } }).success).toBe(false);
  });
});

describe('resolveSandboxProfile', () => {
  it('fills in safe defaults: bubblewrap when usable, no network, nobody:nogroup, no fallback', () => {
    expect(resolveSandboxProfile({}, { support: withBwrap })).toEqual({
      backend: 'bubblewrap',
      allowFallback: false,
      mounts: [],
      autoMounts: true,
      env: [],
      network: 'none',
      hide: [],
      seccomp: true,
      limits: { memoryMb: 1024, pids: 256, cpus: 1, tmpMb: 256, scratchMb: 512 },
      uid: 65534,
      gid: 65534,
    });
  });

  it('defaults to no backend, with the reason, when bwrap is unusable', () => {
    const profile = resolveSandboxProfile({}, { support: withoutBwrap });
    expect(profile.backend).toBe('none');
    expect(profile.backendReason).toMatch(/bwrap was not found on PATH/);
  });

  it('merges a server block over the gateway default, limits key by key', () => {
    const profile = resolveSandboxProfile(
      { network: 'host', limits: { pids: 32 } },
      { support: withBwrap, defaults: { env: ['LANG'], limits: { pids: 64, memoryMb: 512 } } },
    );
    expect(profile).toMatchObject({ network: 'host', env: ['LANG'], limits: { pids: 32, memoryMb: 512 } });
  });

  it('lifts a default bound with null, per server over the gateway default and the other way round', () => {
    const lifted = resolveSandboxProfile({ limits: { memoryMb: null } }, { support: withBwrap, defaults: { limits: { pids: null, cpus: 2 } } });
    expect(lifted.limits).toEqual({ cpus: 2, tmpMb: 256, scratchMb: 512 });
    const back = resolveSandboxProfile({ limits: { pids: 100 } }, { support: withBwrap, defaults: { limits: { pids: null } } });
    expect(back.limits.pids).toBe(100);
  });

  it('keeps a network allowlist as written and refuses a bad entry built by hand', () => {
    const profile = resolveSandboxProfile({ network: { allow: ['api.example.com', '*.example.org:8443'] } }, { support: withBwrap });
    expect(profile.network).toEqual({ allow: ['api.example.com', '*.example.org:8443'] });
    let caught: unknown;
    try {
      resolveSandboxProfile({ network: { allow: ['api.example.com', 'https://x.example.com/'] } }, { support: withBwrap });
    } catch (err) {
      caught = err;
    }
    expect(isOutletError(caught)).toBe(true);
    expect(caught).toMatchObject({ code: 'CONFIG_INVALID', message: expect.stringMatching(/^sandbox\.network\.allow\[1\] "https:\/\/x\.example\.com\/": no scheme or path/) });
  });

  it('refuses relative mount and scratch paths', () => {
    expect(() => resolveSandboxProfile({ mounts: [{ path: 'data', mode: 'ro' }] }, { support: withBwrap })).toThrow(/mounts\[0\]\.path must be an absolute path/);
    expect(() => resolveSandboxProfile({ scratch: 'tmp' }, { support: withBwrap })).toThrow(/scratch must be an absolute path/);
  });
});
