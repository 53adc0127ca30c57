import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { accessWarnings, canAccess } from '../../src/sandbox/host-access.js';
import { planMounts } from '../../src/sandbox/mount-plan.js';
import { serverPaths } from '../../src/sandbox/server-paths.js';
import { REPO_ROOT } from './caged-server.js';

// The data-directory rule: a directory named as an argument is the server's data, bound writable,
// unless it holds code that runs or is a system or too-broad path.
const tree = mkdtempSync(join(tmpdir(), 'outlet-data-'));
mkdirSync(join(tree, 'app/dist'), { recursive: true });
mkdirSync(join(tree, 'app/workspace'), { recursive: true });
mkdirSync(join(tree, 'notes'), { recursive: true });
writeFileSync(join(tree, 'app/package.json'), '{}');
writeFileSync(join(tree, 'app/dist/main.js'), '');
afterAll(() => rmSync(tree, { recursive: true, force: true }));

const node = process.execPath;
const run = (args: string[], cwd = join(tree, 'app')) => serverPaths({ command: node, args, env: {}, cwd }, node);

describe('serverPaths: data directories', () => {
  it('binds a directory argument writable, and the code around the server read-only', () => {
    const paths = run(['dist/main.js', join(tree, 'notes')]);
    expect(paths.readWrite).toEqual([join(tree, 'notes')]);
    expect(paths.readOnly).toContain(join(tree, 'app'));
    expect(paths.readOnly).not.toContain(join(tree, 'notes'));
  });

  it('makes a workspace inside the server\'s own project writable (the default config\'s layout)', () => {
    const paths = run(['dist/main.js', 'workspace']);
    expect(paths.readWrite).toEqual([join(tree, 'app/workspace')]);
    expect(paths.readOnly).toContain(join(tree, 'app'));
  });

  it('keeps read-only a directory that holds the code that runs: the project, its dist, the runtime', () => {
    expect(run(['dist/main.js', '.']).readWrite).toEqual([]);
    expect(run(['dist/main.js', 'dist']).readWrite).toEqual([]);
    expect(run(['dist/main.js', dirname(node)]).readWrite).toEqual([]);
    expect(run(['dist/main.js', REPO_ROOT]).readWrite).toEqual([]); // holds the gateway itself
  });

  it('never hands out system trees, node_modules or too-broad directories writable', () => {
    const paths = run(['dist/main.js', '/usr/share', '/etc', '/tmp', join(REPO_ROOT, 'node_modules/zod')]);
    expect(paths.readWrite).toEqual([]);
    expect(paths.refused).toEqual(expect.arrayContaining(['/etc', '/tmp']));
  });

  it('leaves file arguments and options alone', () => {
    expect(run(['dist/main.js', join(tree, 'app/package.json'), `--dir=${join(tree, 'notes')}`]).readWrite).toEqual([]);
  });
});

describe('planMounts with data directories', () => {
  it('binds them rw inside a read-only parent, unless a configured mount says ro', () => {
    const base = { network: 'none' as const, serverReadOnly: [join(tree, 'app')], scratch: join(tree, 'scratch') };
    const ops = planMounts({ ...base, serverReadWrite: [join(tree, 'app/workspace')], mounts: [] });
    const at = (path: string) => ops.findIndex((op) => op.path === path);
    expect(ops[at(join(tree, 'app/workspace'))]).toEqual({ kind: 'rw', path: join(tree, 'app/workspace') });
    expect(at(join(tree, 'app'))).toBeLessThan(at(join(tree, 'app/workspace')));
    const pinned = planMounts({ ...base, serverReadWrite: [join(tree, 'app/workspace')], mounts: [{ path: join(tree, 'app/workspace'), mode: 'ro' }] });
    expect(pinned.find((op) => op.path === join(tree, 'app/workspace'))).toEqual({ kind: 'ro', path: join(tree, 'app/workspace') });
  });
});

describe('host access for the sandbox uid', () => {
  const nobody = { uid: 65534, gid: 65534 };

  it('reads mode bits along the path', () => {
    const closed = mkdtempSync(join(tree, 'closed-'));
    chmodSync(closed, 0o700);
    const open = join(tree, 'notes');
    chmodSync(open, 0o777);
    chmodSync(tree, 0o755);
    expect(canAccess(open, nobody, 'rwx')).toBe(true);
    expect(canAccess(closed, nobody, 'x')).toBe(process.getuid?.() === 65534);
    expect(canAccess(join(closed, 'inside'), nobody, 'r')).toBe(false);
  });

  it('warns about a data directory the sandbox uid cannot write, saying how to fix it', () => {
    // Fails, naming why, where it cannot run (it never skips).
    expect(process.getuid?.() === 0, 'needs root, as CI runs').toBe(true);
    const rootOwned = mkdtempSync(join(tree, 'root-'));
    const warnings = accessWarnings(nobody, [], [rootOwned]);
    expect(warnings).toEqual([expect.stringMatching(new RegExp(`^uid 65534 cannot write ${rootOwned} \\(owner 0:0, mode 700\\).*chown 65534:65534`))]);
  });
});
