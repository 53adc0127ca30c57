import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, startCaged, support, type CagedServer } from './caged-server.js';

// Each act is attempted by the server itself, over MCP, while it runs inside the sandbox.
// Needs a working bubblewrap (.ci/run installs it): without one these tests fail, naming why.
describe('a sandboxed server and the filesystem', () => {
  it('runs where bubblewrap works (.ci/run installs it)', () => {
    expect(support.bwrap.usable, support.bwrap.error ?? 'bwrap is not usable').toBe(true);
  });

  let caged: CagedServer;
  let scratch: string;
  let hostSecretDir: string;

  beforeAll(async () => {
    hostSecretDir = mkdtempSync(join(tmpdir(), 'outlet-host-secret-'));
    writeFileSync(join(hostSecretDir, 'secret.txt'), 'host secret', { mode: 0o644 });
    caged = await startCaged('fs-probe.mjs', {});
    scratch = caged.sandbox.spec.cwd; // the launcher starts in the scratch dir
  });

  afterAll(async () => {
    await caged?.close();
    rmSync(hostSecretDir, { recursive: true, force: true });
  });

  it('can write in its scratch dir, which is its HOME: by default a private tmpfs that the host never sees', async () => {
    expect(scratch).toMatch(/mcp-outlet-/);
    const outcome = await caged.call('write_file', { path: join(scratch, 'note.txt'), text: 'mine' });
    expect(outcome).toMatchObject({ ok: true, size: 4 });
    expect(await caged.call('read_file', { path: join(scratch, 'note.txt') })).toMatchObject({ ok: true, text: 'mine' });
    expect(await caged.call('run', { command: 'sh', args: ['-c', 'echo "$HOME"'] })).toMatchObject({ ok: true, stdout: `${scratch}\n` });
    expect(existsSync(join(scratch, 'note.txt'))).toBe(false);
  });

  it('with scratchMb null, writes in a scratch dir on the host, which is its HOME', async () => {
    const onHost = await startCaged('fs-probe.mjs', { limits: { scratchMb: null } });
    try {
      const dir = onHost.sandbox.spec.cwd;
      expect(dir).toMatch(/mcp-outlet-/);
      const outcome = await onHost.call('write_file', { path: join(dir, 'note.txt'), text: 'mine' });
      expect(outcome).toMatchObject({ ok: true, size: 4 });
      expect(readFileSync(join(dir, 'note.txt'), 'utf8')).toBe('mine');
      if (support.root) expect(statSync(join(dir, 'note.txt')).uid).toBe(65534);
    } finally {
      await onHost.close();
    }
  });

  it('cannot write into the repository it was started from (bound read-only)', async () => {
    const target = join(REPO_ROOT, `sandbox-escape-${process.pid}.txt`);
    const outcome = await caged.call('write_file', { path: target, text: 'escaped' });
    expect(outcome).toMatchObject({ ok: false, code: 'EROFS' });
    expect(existsSync(target)).toBe(false);
  });

  it('cannot write into /etc, /usr or the sandbox root', async () => {
    for (const path of ['/etc/outlet-escape', '/usr/outlet-escape', '/outlet-escape']) {
      const outcome = await caged.call('write_file', { path, text: 'escaped' });
      expect(outcome, path).toMatchObject({ ok: false, code: 'EROFS' });
    }
    expect(existsSync('/etc/outlet-escape')).toBe(false);
  });

  it('cannot read files outside its mounts, even world-readable ones', async () => {
    for (const path of ['/etc/shadow', '/etc/passwd', '/root', '/home', join(hostSecretDir, 'secret.txt')]) {
      const outcome = await caged.call('read_file', { path });
      expect(outcome, path).toMatchObject({ ok: false, code: 'ENOENT' });
    }
  });

  it('can read its own code (the project root is bound read-only)', async () => {
    const outcome = await caged.call('read_file', { path: join(REPO_ROOT, 'package.json') });
    expect(outcome.ok).toBe(true);
    expect(outcome.text).toContain('"name": "mcp-outlet"');
  });

  it('cannot remount / read-write, and / stays read-only afterwards', async () => {
    const remount = await caged.call('run', { command: 'mount', args: ['-o', 'remount,rw', '/'] });
    expect(remount.ok).toBe(false);
    expect(remount.message).toMatch(/must be superuser|permission denied|not permitted/i);
    const after = await caged.call('write_file', { path: '/outlet-escape', text: 'escaped' });
    expect(after).toMatchObject({ ok: false, code: 'EROFS' });
  });

  it('removes the scratch dir once the process has exited', async () => {
    const dir = scratch;
    await caged.close();
    expect(existsSync(dir)).toBe(false);
  });
});
