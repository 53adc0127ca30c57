import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { planMounts } from '../../src/sandbox/mount-plan.js';
import { projectRoot, serverPaths } from '../../src/sandbox/server-paths.js';

const tree = mkdtempSync(join(tmpdir(), 'outlet-paths-'));
mkdirSync(join(tree, 'app/dist'), { recursive: true });
mkdirSync(join(tree, 'app/node_modules/dep/lib'), { recursive: true });
mkdirSync(join(tree, 'loose'), { recursive: true });
writeFileSync(join(tree, 'app/package.json'), '{}');
writeFileSync(join(tree, 'app/dist/main.js'), '');
writeFileSync(join(tree, 'app/node_modules/dep/package.json'), '{}');
writeFileSync(join(tree, 'app/node_modules/dep/lib/cli.js'), '');
writeFileSync(join(tree, 'loose/script.py'), '');
afterAll(() => rmSync(tree, { recursive: true, force: true }));

describe('projectRoot', () => {
  it('takes the nearest directory with package.json', () => {
    expect(projectRoot(join(tree, 'app/dist/main.js'))).toBe(join(tree, 'app'));
  });

  it('takes the directory above node_modules for a dependency, so its siblings load too', () => {
    expect(projectRoot(join(tree, 'app/node_modules/dep/lib/cli.js'))).toBe(join(tree, 'app'));
  });

  it('takes the file\'s own directory when no project is found', () => {
    expect(projectRoot(join(tree, 'loose/script.py'))).toBe(join(tree, 'loose'));
  });
});

describe('serverPaths', () => {
  it('binds the runtime, the entry script\'s project and the cwd, skipping options', () => {
    const paths = serverPaths({ command: 'node', args: ['--enable-source-maps', 'dist/main.js'], env: {}, cwd: join(tree, 'app') }, '/usr/bin/node');
    expect(paths.readOnly).toContain(join(tree, 'app'));
    expect(paths.readOnly).toContain('/usr/bin');
    expect(paths.refused).toEqual([]);
  });

  it('refuses to bind / or /etc because an argument or the cwd points there', () => {
    const paths = serverPaths({ command: 'node', args: ['/etc'], env: {}, cwd: '/' }, '/usr/bin/node');
    expect(paths.refused).toEqual(expect.arrayContaining(['/', '/etc']));
    expect(paths.readOnly).not.toContain('/');
    expect(paths.readOnly).not.toContain('/etc');
  });
});

describe('planMounts', () => {
  it('puts parents before children and the tmpfs /tmp before a scratch dir under it', () => {
    const ops = planMounts({
      network: 'none',
      serverReadOnly: ['/usr/bin', join(tree, 'app')],
      mounts: [{ path: join(tree, 'app/dist'), mode: 'rw' }],
      scratch: join(tree, 'scratch'),
    });
    const index = (path: string): number => ops.findIndex((op) => op.path === path);
    expect(index('/usr/bin')).toBe(-1); // already inside the /usr bind
    expect(index('/tmp')).toBeLessThan(index(join(tree, 'scratch')));
    expect(index(join(tree, 'app'))).toBeLessThan(index(join(tree, 'app/dist')));
    expect(ops[index(join(tree, 'app/dist'))]).toEqual({ kind: 'rw', path: join(tree, 'app/dist') });
    expect(ops[index(join(tree, 'scratch'))]).toEqual({ kind: 'rw', path: join(tree, 'scratch') });
    expect(ops.some((op) => op.path === '/etc/resolv.conf')).toBe(false);
  });
});
