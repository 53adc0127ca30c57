import { chmodSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { serverPaths } from '../../src/sandbox/server-paths.js';

// sandbox.autoMounts: false binds what the command needs to run (the runtime, the command and its
// own project), never what its arguments or cwd name (inline /rpc servers always run so).
const tree = mkdtempSync(join(tmpdir(), 'outlet-automounts-'));
mkdirSync(join(tree, 'tool/bin'), { recursive: true });
mkdirSync(join(tree, 'data'), { recursive: true });
mkdirSync(join(tree, 'other/project'), { recursive: true });
writeFileSync(join(tree, 'tool/package.json'), '{}');
writeFileSync(join(tree, 'tool/bin/run'), '#!/bin/sh\n');
chmodSync(join(tree, 'tool/bin/run'), 0o755);
writeFileSync(join(tree, 'other/project/package.json'), '{}');
writeFileSync(join(tree, 'other/project/main.js'), '');
afterAll(() => rmSync(tree, { recursive: true, force: true }));

describe('serverPaths with autoMounts', () => {
  const command = join(tree, 'tool/bin/run');
  const spec = { command, args: [join(tree, 'data'), join(tree, 'other/project/main.js')], env: {}, cwd: join(tree, 'other') };

  it('true (the default): binds the directory argument read-write, the file argument\'s project and the cwd', () => {
    const paths = serverPaths(spec, command);
    expect(paths.readWrite).toEqual([join(tree, 'data')]);
    expect(paths.readOnly).toEqual(expect.arrayContaining([join(tree, 'other/project'), join(tree, 'other')]));
  });

  it('false: binds only the runtime, the command\'s directory and its project', () => {
    const paths = serverPaths(spec, command, false);
    expect(paths.readWrite).toEqual([]);
    expect(new Set(paths.readOnly)).toEqual(new Set([dirname(process.execPath), dirname(realpathSync(process.execPath)), join(tree, 'tool/bin'), join(tree, 'tool')]));
  });
});
