import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seccompFor } from '../../src/sandbox/seccomp-plan.js';
import { startCaged, support, type CagedServer } from './caged-server.js';

// Each syscall is attempted by the server (fs-probe's `run` tool) from inside the cage: once under
// the default profile, once with `seccomp: false`, so each refusal is shown to come from the filter.
// Perl (perl-base is part of every Debian system) makes the raw syscalls: x86_64 numbers.
const PTRACE_TRACEME = 'my $r = syscall(101, 0, 0, 0, 0); die "ptrace: $!\\n" if $r < 0; print "traced\\n"';
// clone(CLONE_NEWUSER | SIGCHLD) with no new stack: the child is a copy that exits at once.
const CLONE_NEWUSER = 'my $r = syscall(56, 0x10000000 | 17, 0, 0, 0, 0); exit 0 if $r == 0; die "clone: $!\\n" if $r < 0; waitpid($r, 0); print "cloned\\n"';
// A worker thread: glibc's pthread_create tries clone3 first (refused with ENOSYS) then clone.
const WORKER = "const { Worker } = require('node:worker_threads'); new Worker('1', { eval: true }).on('exit', (c) => console.log('worker exit', c))";

describe('the seccomp filter in the cage', () => {
  it('runs where bubblewrap works on x86_64 (.ci/run installs it)', () => {
    expect(support.bwrap.usable, support.bwrap.error ?? 'bwrap is not usable').toBe(true);
    expect(process.arch, 'the raw syscall numbers below are x86_64 ones').toBe('x64');
  });

  let filtered: CagedServer;
  let open: CagedServer;

  beforeAll(async () => {
    // Both start and answer over MCP: a Node server (threads, libuv) runs under the filter.
    [filtered, open] = await Promise.all([startCaged('fs-probe.mjs', {}), startCaged('fs-probe.mjs', { seccomp: false })]);
  });

  afterAll(async () => {
    await Promise.all([filtered?.close(), open?.close()]);
  });

  it('is on by default and reported as enforced; off is reported as not enforced', () => {
    expect(filtered.sandbox.enforced.join('\n')).toMatch(/^seccomp \(x86_64\): \d+ calls refused/m);
    expect(filtered.sandbox.spec.args).toContain('--seccomp');
    expect(open.sandbox.spec.args).not.toContain('--seccomp');
    expect(open.sandbox.notEnforced).toContain('seccomp: turned off by sandbox.seccomp: false');
  });

  it('refuses a nested user namespace: `unshare -r` and `unshare -U` fail', async () => {
    for (const flag of ['-r', '-U']) {
      const outcome = await filtered.call('run', { command: 'unshare', args: [flag, 'true'] });
      expect(outcome.ok).toBe(false);
      expect(outcome.message).toMatch(/unshare failed: Operation not permitted/);
    }
    // The same command works without the filter: the refusal above is the filter's.
    expect(await open.call('run', { command: 'unshare', args: ['-r', 'true'] })).toMatchObject({ ok: true });
  });

  it('refuses clone with a namespace flag, while plain threads still start', async () => {
    const refused = await filtered.call('run', { command: 'perl', args: ['-e', CLONE_NEWUSER] });
    expect(refused).toMatchObject({ ok: false });
    expect(refused.message).toMatch(/clone: Operation not permitted/);
    expect(await open.call('run', { command: 'perl', args: ['-e', CLONE_NEWUSER] })).toMatchObject({ ok: true, stdout: 'cloned\n' });
    expect(await filtered.call('run', { command: 'node', args: ['-e', WORKER] })).toMatchObject({ ok: true, stdout: 'worker exit 0\n' });
  });

  it('refuses ptrace', async () => {
    const refused = await filtered.call('run', { command: 'perl', args: ['-e', PTRACE_TRACEME] });
    expect(refused).toMatchObject({ ok: false });
    expect(refused.message).toMatch(/ptrace: Operation not permitted/);
    expect(await open.call('run', { command: 'perl', args: ['-e', PTRACE_TRACEME] })).toMatchObject({ ok: true, stdout: 'traced\n' });
  });

  it('refuses personality values that turn off exploit mitigations (setarch -R: no address randomisation)', async () => {
    const refused = await filtered.call('run', { command: 'setarch', args: ['x86_64', '-R', 'true'] });
    expect(refused.message).toMatch(/Operation not permitted/);
    expect(await open.call('run', { command: 'setarch', args: ['x86_64', '-R', 'true'] })).toMatchObject({ ok: true });
  });
});

describe('seccompFor', () => {
  it('reports an architecture without a table as not enforced, with no program', () => {
    expect(seccompFor({ seccomp: true }, 'ia32')).toEqual({ notEnforced: 'seccomp: no filter for this architecture (ia32; x86_64 and aarch64 have one)' });
  });

  it('builds a program for aarch64 too (not run on this host)', () => {
    const plan = seccompFor({ seccomp: true }, 'arm64');
    expect(plan.program?.length).toBeGreaterThan(0);
    expect((plan.program?.length ?? 1) % 8).toBe(0);
    expect(plan.enforced).toMatch(/^seccomp \(aarch64\)/);
  });
});
