import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveSandboxProfile } from '../../src/sandbox/index.js';
import { ServerSandbox } from '../../src/supervisor/server-sandbox.js';

const root = mkdtempSync(join(tmpdir(), 'outlet-pkg-mount-'));
chmodSync(root, 0o755);
const [v1, v2] = ['pkg@1.0.0', 'pkg@1.1.0'].map((leaf) => join(root, 'npm', leaf));
for (const dir of [v1!, v2!]) mkdirSync(dir, { recursive: true });

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('the package a sandbox runs from', () => {
  it('is bound read-only, and a refreshed version replaces the one before (which may be gone)', () => {
    const sandbox = new ServerSandbox('s', resolveSandboxProfile({ backend: 'bubblewrap' }), () => undefined);
    const spawnArgs = (): string => sandbox.hooks().wrapSpawn!({ command: process.execPath, args: ['-e', ''], env: {}, cwd: root }).args.join(' ');
    try {
      sandbox.mountPackage(v1!);
      expect(spawnArgs()).toContain(`--ro-bind ${v1} ${v1}`);
      sandbox.mountPackage(v2!);
      rmSync(v1!, { recursive: true });
      const args = spawnArgs();
      expect(args).toContain(`--ro-bind ${v2} ${v2}`);
      expect(args).not.toContain(v1);
    } finally {
      sandbox.dispose();
    }
  });
});
