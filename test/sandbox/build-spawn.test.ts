import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildBubblewrapSpawn, buildSandboxedSpawn, resolveSandboxProfile, type SandboxSupport } from '../../src/sandbox/index.js';
import type { SpawnSpec } from '../../src/sandbox/spawn-spec.js';
import { REPO_ROOT, hostile, support } from './caged-server.js';

// These tests build specs without running them, so they use a described host: bwrap usable, no
// cgroups, no prlimit, and the real root-or-not (chowning the scratch dir needs real root).
const host: SandboxSupport = { root: support.root, uid: support.uid, bwrap: { path: '/usr/bin/bwrap', usable: true }, cgroup: { v1: {} } };
const spec: SpawnSpec = { command: 'node', args: [hostile('fs-probe.mjs')], env: { PATH: '/usr/bin:/bin', ENTRY: 'x', API_TOKEN: 'tok-secret-4711' }, cwd: REPO_ROOT };
const extra = mkdtempSync(join(tmpdir(), 'outlet-mounts-'));
afterAll(() => rmSync(extra, { recursive: true, force: true }));

/** The pairs following each occurrence of a flag, e.g. all `--ro-bind SRC DEST` sources. */
function operands(args: string[], flag: string): string[] {
  return args.flatMap((a, i) => (a === flag ? [args[i + 1] ?? ''] : []));
}

describe('buildBubblewrapSpawn', () => {
  it('wraps the command in bwrap with the hardening flags and nothing of /root, /home or /etc', () => {
    const built = buildBubblewrapSpawn(spec, resolveSandboxProfile({}, { support: host }), host);
    try {
      const { args } = built.spec;
      expect(built.spec.command).toBe('/usr/bin/bwrap');
      for (const flag of ['--unshare-all', '--die-with-parent', '--new-session']) expect(args).toContain(flag);
      expect(args.join(' ')).toContain('--cap-drop ALL');
      expect(args).not.toContain('--share-net');
      const bound = [...operands(args, '--ro-bind'), ...operands(args, '--bind')];
      expect(bound).toContain('/usr');
      expect(bound).toContain(REPO_ROOT.replace(/\/$/, '')); // the fixture's project root
      expect(bound).not.toContain('/etc/resolv.conf');
      for (const path of bound) expect(path).not.toMatch(/^\/(root|home|etc)(\/|$)(?!ssl|alternatives)/);
      expect(args.slice(args.indexOf('--') + 1)).toEqual(['/usr/bin/node', hostile('fs-probe.mjs')]);
      // The environment travels in the launcher's own environment, never on its command line
      // (readable by every host user through ps): exactly the entry's env plus HOME (the scratch).
      expect(args.join(' ')).not.toContain('tok-secret-4711');
      expect(args).not.toContain('--setenv');
      expect(built.spec.env).toMatchObject({ PATH: '/usr/bin:/bin', ENTRY: 'x', API_TOKEN: 'tok-secret-4711' });
      expect(Object.keys(built.spec.env).sort()).toEqual(['API_TOKEN', 'ENTRY', 'HOME', 'PATH']);
      if (support.root) expect(built.spec).toMatchObject({ uid: 65534, gid: 65534 });
      else expect(built.spec.uid).toBeUndefined();
    } finally {
      built.cleanup();
    }
  });

  it('shares the host network and name resolution only for network "host"', () => {
    const built = buildBubblewrapSpawn(spec, resolveSandboxProfile({ network: 'host' }, { support: host }), host);
    built.cleanup();
    expect(built.spec.args).toContain('--share-net');
    expect(operands(built.spec.args, '--ro-bind')).toContain('/etc/resolv.conf');
  });

  it('binds explicit mounts after their parents, keeping each mode', () => {
    const profile = resolveSandboxProfile({ mounts: [{ path: join(extra), mode: 'rw' }, { path: REPO_ROOT.replace(/\/$/, '') + '/src', mode: 'ro' }] }, { support: host });
    const built = buildBubblewrapSpawn(spec, profile, host);
    built.cleanup();
    const { args } = built.spec;
    expect(operands(args, '--bind')).toContain(extra);
    const repo = args.indexOf(REPO_ROOT.replace(/\/$/, ''));
    const src = args.indexOf(REPO_ROOT.replace(/\/$/, '') + '/src');
    expect(repo).toBeGreaterThan(-1);
    expect(src).toBeGreaterThan(repo);
  });

  it('makes the default scratch dir a size-capped tmpfs, and /tmp too', () => {
    const built = buildBubblewrapSpawn(spec, resolveSandboxProfile({}, { support: host }), host);
    try {
      const args = built.spec.args;
      const tmpfsAt = (path: string): number => args.findIndex((arg, i) => arg === path && args[i - 1] === '--tmpfs');
      expect(args.slice(tmpfsAt('/tmp') - 3, tmpfsAt('/tmp'))).toEqual(['--size', String(256 * 1024 * 1024), '--tmpfs']);
      expect(args.slice(tmpfsAt(built.spec.cwd) - 3, tmpfsAt(built.spec.cwd))).toEqual(['--size', String(512 * 1024 * 1024), '--tmpfs']);
      expect(operands(args, '--bind')).not.toContain(built.spec.cwd);
      expect(built.enforced).toContain('disk: /tmp is a private tmpfs of 256 MiB (counted in the memory limit)');
    } finally {
      built.cleanup();
    }
  });

  it('with a bwrap older than 0.7 (no --size), leaves the sizes out and reports them as not enforced', () => {
    const old: SandboxSupport = { ...host, bwrap: { ...host.bwrap, version: '0.6.1' } };
    const built = buildBubblewrapSpawn(spec, resolveSandboxProfile({}, { support: old }), old);
    try {
      expect(built.spec.args).not.toContain('--size');
      expect(operands(built.spec.args, '--bind')).toContain(built.spec.cwd);
      expect(built.notEnforced).toContain('disk: /tmp 256 MiB: bwrap 0.6.1 has no --size (0.7.0 added it)');
    } finally {
      built.cleanup();
    }
  });

  it('creates a private scratch dir and removes it on cleanup, once', () => {
    const built = buildBubblewrapSpawn(spec, resolveSandboxProfile({ limits: { scratchMb: null } }, { support: host }), host);
    const scratch = built.spec.cwd;
    expect(existsSync(scratch)).toBe(true);
    expect(operands(built.spec.args, '--bind')).toContain(scratch);
    built.cleanup();
    built.cleanup();
    expect(existsSync(scratch)).toBe(false);
  });

  it('refuses a mount that does not exist', () => {
    const profile = resolveSandboxProfile({ mounts: [{ path: '/definitely/not/here', mode: 'ro' }] }, { support: host });
    expect(() => buildBubblewrapSpawn(spec, profile, host)).toThrow(/sandbox mount "\/definitely\/not\/here" does not exist/);
  });

  it('throws a clear OutletError naming the fix when bwrap is unusable and fallback is off', () => {
    const missing: SandboxSupport = { ...host, bwrap: { usable: false, error: 'bwrap was not found on PATH' } };
    const profile = resolveSandboxProfile({ backend: 'bubblewrap' }, { support: missing });
    expect(() => buildBubblewrapSpawn(spec, profile, missing)).toThrow(/bwrap was not found on PATH.*apt-get install bubblewrap/);
    try {
      buildBubblewrapSpawn(spec, profile, missing);
    } catch (err) {
      expect(err).toMatchObject({ name: 'OutletError', code: 'SANDBOX_UNAVAILABLE', rpcCode: -32018, httpStatus: 503, data: { missing: 'bwrap' } });
    }
  });

  it('falls back to an unconfined spawn, with a warning, only when allowFallback is set', () => {
    const missing: SandboxSupport = { ...host, bwrap: { usable: false, error: 'bwrap was not found on PATH' } };
    const built = buildBubblewrapSpawn(spec, resolveSandboxProfile({ backend: 'bubblewrap', allowFallback: true }, { support: missing }), missing);
    expect(built.spec).toBe(spec);
    expect(built.warning).toMatch(/SANDBOX DISABLED.*allowFallback/);
  });
});

describe('backend "none"', () => {
  it('returns the spec unchanged, lists everything as not enforced, and warns loudly', () => {
    const profile = resolveSandboxProfile({ backend: 'none', limits: { memoryMb: 64, wallClockSeconds: 5 } }, { support: host });
    const built = buildSandboxedSpawn(spec, profile, host);
    expect(built.spec).toBe(spec);
    expect(built.enforced).toEqual([]);
    const missing = built.notEnforced.join('\n');
    for (const what of ['filesystem', 'network', 'namespaces', 'capabilities', 'memoryMb 64', 'wall clock 5 s']) expect(missing).toContain(what);
    expect(built.warning).toMatch(/^SANDBOX DISABLED/);
    expect(built.supervise).toEqual({ wallClockSeconds: 5 });
  });
});
