import { existsSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/index.js';
import { suiteGateway } from '../helpers/suite-gateway.js';
import { makeFilesTree } from './files-tree.js';

type CallResult = { content: { type: string; text: string }[]; isError?: boolean; structuredContent?: Record<string, unknown> };

// The files built-in through the real gateway: `outlet builtin files` in the cage its options call
// for (only the roots mounted, read-only unless readOnly is false; no network), on a temp tree.
const tree = makeFilesTree();
afterAll(() => tree.remove());

const ro = suiteGateway(() => ({ servers: { fs: { builtin: 'files', roots: [tree.root] } } }), { ready: true, timeoutMs: 30_000 });
const rw = suiteGateway(() => ({ servers: { fs: { builtin: 'files', roots: [tree.rw], readOnly: false, maxWriteBytes: 1000 } } }), { ready: true, timeoutMs: 30_000 });

async function call(suite: typeof ro, name: string, args: Record<string, unknown>): Promise<CallResult> {
  const client = await suite.gw.client();
  return (await client.callTool({ name: `fs__${name}`, arguments: args })) as CallResult;
}

async function refused(suite: typeof ro, name: string, args: Record<string, unknown>, message: RegExp): Promise<void> {
  const result = await call(suite, name, args);
  expect(result.isError, JSON.stringify(result)).toBe(true);
  expect(result.content[0]!.text).toMatch(message);
}

describe('the files built-in, read-only (the default)', () => {
  it('lists only the read tools, marked read-only', async () => {
    const { tools } = await (await ro.gw.client()).listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(['fs__file_info', 'fs__list_directory', 'fs__read_file', 'fs__search_files']);
    expect(tools.every((t) => t.annotations?.readOnlyHint === true)).toBe(true);
  });

  it('reads a file by absolute or relative path, and a part of one', async () => {
    expect((await call(ro, 'read_file', { path: join(tree.root, 'hello.txt') })).content[0]!.text).toBe('hello world\nsecond line\n');
    expect((await call(ro, 'read_file', { path: 'docs/guide.md' })).content[0]!.text).toContain('quick brown fox');
    expect((await call(ro, 'read_file', { path: 'hello.txt', offset: 6, length: 5 })).content[0]!.text).toBe('world');
  });

  it('lists a folder and describes a file', async () => {
    const list = await call(ro, 'list_directory', {});
    const entries = list.structuredContent!.entries as { name: string; type: string }[];
    expect(entries.map((e) => `${e.name}:${e.type}`)).toEqual(['big.log:file', 'docs:directory', 'etc-link:symlink', 'hello.txt:file', 'secret-link.txt:symlink', 'src:directory']);
    const info = await call(ro, 'file_info', { path: 'docs/guide.md' });
    expect(info.structuredContent).toMatchObject({ type: 'file', size: 30, path: join(tree.root, 'docs', 'guide.md') });
  });

  it('searches names by glob and contents by substring or regex', async () => {
    const names = await call(ro, 'search_files', { pattern: '*.md' });
    expect((names.structuredContent!.results as { path: string }[]).map((r) => r.path).sort()).toEqual([join(tree.root, 'docs', 'guide.md'), join(tree.root, 'docs', 'notes.md')]);
    const deep = await call(ro, 'search_files', { pattern: 'src/**/*.ts' });
    expect(deep.structuredContent!.results).toEqual([{ path: join(tree.root, 'src', 'deep', 'main.ts'), type: 'file' }]);
    const text = await call(ro, 'search_files', { pattern: '*', content: 'BROWN' });
    expect(text.structuredContent!.results).toEqual([{ path: join(tree.root, 'docs', 'guide.md'), type: 'file', line: 3, text: 'The quick brown fox.' }]);
    const regex = await call(ro, 'search_files', { pattern: '*.ts', content: 'answer\\s*=\\s*\\d+', regex: true });
    expect((regex.structuredContent!.results as unknown[]).length).toBe(1);
  });

  it('bounds a backtracking regex instead of hanging', async () => {
    writeFileSync(join(tree.root, 'docs', 'aaa.md'), `${'a'.repeat(40)}!\n`);
    await refused(ro, 'search_files', { pattern: 'aaa.md', content: '^(a+)+$', regex: true }, /ran over the 5 s budget/);
    expect((await call(ro, 'read_file', { path: 'hello.txt' })).isError).toBeFalsy();
  }, 20_000);

  it('refuses to climb out: "..", absolute paths outside, NUL', async () => {
    await refused(ro, 'read_file', { path: '../outside/secret.txt' }, /contains "\.\."/);
    await refused(ro, 'read_file', { path: 'docs/../../outside/secret.txt' }, /contains "\.\."/);
    await refused(ro, 'read_file', { path: join(tree.outside, 'secret.txt') }, /is outside the allowed roots/);
    await refused(ro, 'read_file', { path: '/etc/passwd' }, /is outside the allowed roots/);
    await refused(ro, 'list_directory', { path: '/' }, /is outside the allowed roots/);
    await refused(ro, 'read_file', { path: 'hello.txt\0.png' }, /NUL character/);
  });

  it('refuses symbolic links, to a folder or a file outside, in any component', async () => {
    await refused(ro, 'read_file', { path: 'etc-link/passwd' }, /etc-link" is a symbolic link/);
    await refused(ro, 'list_directory', { path: 'etc-link' }, /is a symbolic link/);
    await refused(ro, 'read_file', { path: 'secret-link.txt' }, /is a symbolic link/);
    await refused(ro, 'file_info', { path: 'secret-link.txt' }, /is a symbolic link/);
    await refused(ro, 'search_files', { path: 'etc-link', pattern: '*' }, /is a symbolic link/);
    // A link made after the server started is refused the same way.
    symlinkSync(tree.outside, join(tree.root, 'docs', 'late'));
    await refused(ro, 'read_file', { path: 'docs/late/secret.txt' }, /late" is a symbolic link/);
    const found = await call(ro, 'search_files', { pattern: '*', content: 'SECRET' });
    expect(found.structuredContent!.results).toEqual([]);
  });

  it('refuses a read over the cap and points at offset and length', async () => {
    await refused(ro, 'read_file', { path: 'big.log' }, /2,097,152 bytes, over the read cap of 1,048,576 bytes \(maxReadBytes\); read a part with offset and length/);
    expect((await call(ro, 'read_file', { path: 'big.log', offset: 10, length: 4 })).content[0]!.text).toBe('xxxx');
  });

  it('has no write tools to call: a direct call is refused', async () => {
    await expect(call(ro, 'write_file', { path: 'hello.txt', content: 'gone' })).rejects.toThrow(/Unknown tool "fs__write_file"/);
    await expect(call(ro, 'delete_file', { path: 'hello.txt' })).rejects.toThrow(/Unknown tool/);
    expect(readFileSync(join(tree.root, 'hello.txt'), 'utf8')).toBe('hello world\nsecond line\n');
  });
});

describe('the files built-in, readOnly false', () => {
  it('lists the write tools as destructive', async () => {
    const { tools } = await (await rw.gw.client()).listTools();
    const byName = new Map(tools.map((t) => [t.name, t.annotations]));
    for (const name of ['fs__write_file', 'fs__move_file', 'fs__delete_file']) expect(byName.get(name)).toMatchObject({ readOnlyHint: false, destructiveHint: true });
    expect(byName.get('fs__read_file')).toMatchObject({ readOnlyHint: true });
  });

  it('writes, moves and deletes inside the root', async () => {
    expect((await call(rw, 'write_file', { path: 'notes/new.txt', content: 'fresh' })).structuredContent).toMatchObject({ bytes: 5, created: true });
    expect(readFileSync(join(tree.rw, 'notes', 'new.txt'), 'utf8')).toBe('fresh');
    expect((await call(rw, 'write_file', { path: 'a/b/c.txt', content: 'deep', createParents: true })).isError).toBeFalsy();
    expect(readFileSync(join(tree.rw, 'a', 'b', 'c.txt'), 'utf8')).toBe('deep');
    await refused(rw, 'move_file', { source: 'notes/new.txt', destination: 'notes/todo.txt' }, /already exists/);
    expect((await call(rw, 'move_file', { source: 'notes/new.txt', destination: 'moved.txt' })).isError).toBeFalsy();
    expect(readFileSync(join(tree.rw, 'moved.txt'), 'utf8')).toBe('fresh');
    expect((await call(rw, 'delete_file', { path: 'moved.txt' })).structuredContent).toEqual({ path: join(tree.rw, 'moved.txt'), deleted: 'file' });
    expect(existsSync(join(tree.rw, 'moved.txt'))).toBe(false);
    await refused(rw, 'delete_file', { path: 'a' }, /not empty/);
  });

  it('never writes through a link or out of the root', async () => {
    await refused(rw, 'write_file', { path: 'out-dir/secret.txt', content: 'pwned' }, /out-dir" is a symbolic link/);
    await refused(rw, 'write_file', { path: 'out-dir/new.txt', content: 'pwned', createParents: true }, /is a symbolic link/);
    symlinkSync(join(tree.outside, 'secret.txt'), join(tree.rw, 'file-link'));
    await refused(rw, 'write_file', { path: 'file-link', content: 'pwned' }, /is a symbolic link/);
    await refused(rw, 'move_file', { source: 'notes/todo.txt', destination: 'out-dir/todo.txt' }, /is a symbolic link/);
    await refused(rw, 'move_file', { source: 'notes/todo.txt', destination: join(tree.outside, 'todo.txt') }, /outside the allowed roots/);
    await refused(rw, 'delete_file', { path: '../outside/secret.txt' }, /contains "\.\."/);
    await refused(rw, 'write_file', { path: 'big.txt', content: 'x'.repeat(1001) }, /1,001 bytes, over the write cap of 1,000 bytes \(maxWriteBytes\); nothing was written/);
    expect(readFileSync(join(tree.outside, 'secret.txt'), 'utf8')).toBe('TOP SECRET\n');
    expect(existsSync(join(tree.outside, 'new.txt'))).toBe(false);
    expect(existsSync(join(tree.rw, 'big.txt'))).toBe(false);
  });
});

describe('the files built-in\'s cage', () => {
  // The tool's own root check off (a test-only seam passed through sandbox.env): the sandbox alone
  // must still keep the file outside the roots out of reach.
  const SEAM = 'OUTLET_BUILTIN_UNSAFE_TEST_FILES_NO_ROOT_CHECK';
  process.env[SEAM] = '1';
  const caged = suiteGateway(() => ({ servers: { fs: { builtin: 'files', roots: [tree.root], sandbox: { env: [SEAM] } } } }), { ready: true, timeoutMs: 30_000 });
  afterAll(() => {
    delete process.env[SEAM];
  });

  it('shows the seam is on (a mounted file outside the roots reads), and the secret is still not there', async () => {
    const pkg = await call(caged, 'read_file', { path: join(process.cwd(), 'package.json') });
    expect(pkg.isError).toBeFalsy();
    await refused(caged, 'read_file', { path: join(tree.outside, 'secret.txt') }, /does not exist/);
    await refused(caged, 'read_file', { path: '/etc/hostname' }, /does not exist/);
  });
});

describe('a files entry in the config', () => {
  it('needs roots, and mounts only them (read-only by default) with no network', () => {
    expect(() => parseConfig({ servers: { f: { builtin: 'files' } } })).toThrow(/servers\.f\.roots/);
    expect(() => parseConfig({ servers: { f: { builtin: 'files', roots: [] } } })).toThrow(/servers\.f\.roots/);
    const config = parseConfig({ servers: { f: { builtin: 'files', roots: ['./docs'] } } }, { baseDir: '/srv/site' });
    const server = config.servers.f!;
    if (server.transport !== 'stdio') throw new Error('expected stdio');
    expect(server.sandbox.network).toBe('none');
    expect(server.sandbox.autoMounts).toBe(false);
    expect(server.sandbox.mounts).toContainEqual({ path: '/srv/site/docs', mode: 'ro' });
    const writable = parseConfig({ servers: { f: { builtin: 'files', roots: ['/data'], readOnly: false } } });
    if (writable.servers.f!.transport !== 'stdio') throw new Error('expected stdio');
    expect(writable.servers.f!.sandbox.mounts).toContainEqual({ path: '/data', mode: 'rw' });
  });
});
