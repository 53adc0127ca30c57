import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatewayFiles } from '../../src/config/normalize-sandbox.js';
import { hideOps } from '../../src/sandbox/hide-plan.js';
import { planMounts } from '../../src/sandbox/mount-plan.js';

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'outlet-hide-'));
  writeFileSync(join(dir, 'outlet.json'), '{}');
  writeFileSync(join(dir, 'server.js'), '');
  mkdirSync(join(dir, 'lib'));
  symlinkSync('outlet.json', join(dir, 'alias.json'));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('hideOps', () => {
  it('veils the directory of a hidden file with a small read-only tmpfs and binds the rest back with the same mode', () => {
    const ops = hideOps([{ kind: 'rw', path: dir }], [join(dir, 'outlet.json')]);
    expect(ops[0]).toEqual({ kind: 'tmpfs', path: dir, sizeBytes: 65536, mode: 0o555 });
    expect(ops.slice(1).map((op) => op.path).sort()).toEqual([join(dir, 'lib'), join(dir, 'server.js')]);
    expect(ops.slice(1).every((op) => op.kind === 'rw')).toBe(true);
  });

  it('does nothing when no bind shows the file', () => {
    expect(hideOps([{ kind: 'ro', path: join(dir, 'lib') }], [join(dir, 'outlet.json')])).toEqual([]);
  });

  it('orders the veil after the bind it covers and before binds inside it', () => {
    const ops = planMounts({ network: 'none', serverReadOnly: [dir], mounts: [{ path: join(dir, 'lib'), mode: 'rw' }], scratch: '/tmp/s1', hidden: [join(dir, 'outlet.json')] });
    const at = (kind: string, path: string): number => ops.findIndex((op) => op.kind === kind && op.path === path);
    expect(at('ro', dir)).toBeLessThan(at('tmpfs', dir));
    expect(at('tmpfs', dir)).toBeLessThan(at('rw', join(dir, 'lib')));
    expect(ops.filter((op) => op.path === join(dir, 'lib'))).toEqual([{ kind: 'rw', path: join(dir, 'lib') }]);
  });

  it('does not bind a hidden file named as an argument, only one a mount names', () => {
    const config = join(dir, 'outlet.json');
    const automatic = planMounts({ network: 'none', serverReadOnly: [config], mounts: [], scratch: '/tmp/s1', hidden: [config] });
    expect(automatic.some((op) => op.path === config)).toBe(false);
    const named = planMounts({ network: 'none', serverReadOnly: [], mounts: [{ path: config, mode: 'ro' }], scratch: '/tmp/s1', hidden: [] });
    expect(named).toContainEqual({ kind: 'ro', path: config });
  });
});

describe('gatewayFiles', () => {
  it('lists the config, the lock file (configured or default), and both audit files', () => {
    expect(gatewayFiles({ source: '/etc/outlet/outlet.json' })).toEqual(['/etc/outlet/outlet.json', '/etc/outlet/outlet.lock.json']);
    expect(gatewayFiles({ source: '/etc/outlet/outlet.json', pinning: { lockFile: '/var/lib/outlet/pins.json' }, audit: { file: '/var/log/outlet/security.jsonl' }, observabilityAudit: 'calls.jsonl' })).toEqual([
      '/etc/outlet/outlet.json',
      '/var/lib/outlet/pins.json',
      '/var/log/outlet/security.jsonl',
      '/etc/outlet/calls.jsonl',
    ]);
  });
});
