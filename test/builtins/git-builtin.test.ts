import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/client';
import { describe, expect, it } from 'vitest';
import { outletPackageRoot } from '../../src/config/builtins/outlet-package.js';
import { parseConfig } from '../../src/config/index.js';
import { suiteGateway } from '../helpers/suite-gateway.js';
import { git, giveToSandbox, makeRepo, markerScript } from './git-fixture.js';

type CallResult = { content: { type: string; text: string }[]; isError?: boolean; structuredContent?: Record<string, unknown> };
const call = async (client: Client, name: string, args: Record<string, unknown> = {}) => (await client.callTool({ name, arguments: args })) as CallResult;

// A root holding a real repository, read through the gateway in the derived cage (roots read-only, no network).
const root = mkdtempSync(join(tmpdir(), 'outlet-git-'));
const repo = join(root, 'repo');
makeRepo(repo);
const outside = mkdtempSync(join(tmpdir(), 'outlet-git-out-'));
makeRepo(join(outside, 'other'));

describe('the git built-in, read-only', () => {
  const suite = suiteGateway({ servers: { g: { builtin: 'git', roots: [repo] } } }, { ready: true, timeoutMs: 30_000 });

  it('lists the read tools only, all read-only', async () => {
    const { tools } = await (await suite.gw.client()).listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(['g__git_branch', 'g__git_diff', 'g__git_log', 'g__git_show', 'g__git_status']);
    expect(tools.every((t) => t.annotations?.readOnlyHint === true)).toBe(true);
  });

  it('gives the status, log, branches', async () => {
    const client = await suite.gw.client();
    const status = await call(client, 'g__git_status');
    expect(status.content[0]!.text).toMatch(/## main\n M notes.txt\nA {2}staged.txt/);
    const log = await call(client, 'g__git_log', { count: 5 });
    expect((log.structuredContent!.commits as { subject: string }[]).map((c) => c.subject)).toEqual(['Second line', 'Add notes']);
    const one = await call(client, 'g__git_log', { count: 1, ref: 'HEAD~1', paths: ['notes.txt'] });
    expect(one.structuredContent).toMatchObject({ commits: [{ subject: 'Add notes', author: 'Ada' }] });
    const branches = await call(client, 'g__git_branch');
    expect(branches.structuredContent).toMatchObject({ current: 'main', branches: [{ name: 'feature', current: false }, { name: 'main', current: true }] });
  });

  it('diffs the working tree, the index and two revisions, and shows a commit', async () => {
    const client = await suite.gw.client();
    expect((await call(client, 'g__git_diff')).content[0]!.text).toMatch(/\+third, unstaged/);
    expect((await call(client, 'g__git_diff', { staged: true })).content[0]!.text).toMatch(/\+\+\+ b\/staged.txt/);
    expect((await call(client, 'g__git_diff', { from: 'HEAD~1', to: 'HEAD', paths: ['notes.txt'] })).content[0]!.text).toMatch(/\+second line/);
    expect((await call(client, 'g__git_show', { ref: 'HEAD~1' })).content[0]!.text).toMatch(/Add notes[\s\S]*\+first line/);
    expect((await call(client, 'g__git_show', { ref: 'main:notes.txt' })).content[0]!.text).toBe('first line\nsecond line\n');
  });

  it('refuses an option smuggled in as a revision, and writes nothing', async () => {
    const client = await suite.gw.client();
    const target = join(outside, 'injected');
    for (const [tool, args] of [['g__git_diff', { from: `--output=${target}` }], ['g__git_show', { ref: `--output=${target}` }], ['g__git_log', { ref: '--exec=touch' }]] as const) {
      const result = await call(client, tool, args);
      expect(result.isError).toBe(true);
      expect(result.content[0]!.text).toMatch(/starts with "-", which git would read as an option/);
    }
    expect(existsSync(target)).toBe(false);
    expect((await call(client, 'g__git_diff', { from: 'HEAD;id' })).content[0]!.text).toMatch(/from: "HEAD;id" is not a revision/);
  });

  it('refuses a repository or a path outside the roots', async () => {
    const client = await suite.gw.client();
    expect((await call(client, 'g__git_status', { repo: join(outside, 'other') })).content[0]!.text).toMatch(/repo: ".*other" is outside the configured roots/);
    expect((await call(client, 'g__git_status', { repo: '..' })).content[0]!.text).toMatch(/outside the configured roots/);
    expect((await call(client, 'g__git_log', { paths: ['../../etc/passwd'] })).content[0]!.text).toMatch(/paths\[0\]: "..\/..\/etc\/passwd" is outside/);
  });

  it('does not offer git_commit', async () => {
    await expect(call(await suite.gw.client(), 'g__git_commit', { message: 'x', all: true })).rejects.toThrow(/Unknown tool "g__git_commit"/);
    expect(git(repo, 'log', '--format=%s')).toBe('Second line\nAdd notes\n');
  });
});

// The tool's own wall, without the cage (backend "none", as root): a repository whose config
// names programs for every hook git offers must not get any of them run.
describe('a hostile repository', () => {
  const evilRoot = mkdtempSync(join(tmpdir(), 'outlet-git-evil-'));
  const evil = join(evilRoot, 'evil');
  const markers = mkdtempSync(join(tmpdir(), 'outlet-git-markers-'));
  makeRepo(evil);
  const hooks: Record<string, string> = {};
  for (const key of ['core.fsmonitor', 'core.pager', 'diff.external', 'filter.evil.clean', 'filter.evil.smudge', 'diff.evil.textconv', 'gpg.program']) {
    hooks[key] = markerScript(join(markers, `${key}.sh`), join(markers, `ran-${key}`));
    git(evil, 'config', key, hooks[key]);
  }
  git(evil, 'config', 'filter.evil.required', 'true');
  git(evil, 'config', 'log.showSignature', 'true');
  writeFileSync(join(evil, '.gitattributes'), '*.txt filter=evil diff=evil\n');
  writeFileSync(join(evil, 'notes.txt'), 'changed again\n');
  const suite = suiteGateway({ servers: { g: { builtin: 'git', roots: [evilRoot], sandbox: { backend: 'none' } } } }, { ready: true, timeoutMs: 30_000 });

  it('gets status, log, diff and show without running any of its programs', async () => {
    const client = await suite.gw.client();
    const args = { repo: evil };
    expect((await call(client, 'g__git_status', args)).isError).toBeFalsy();
    expect((await call(client, 'g__git_log', args)).isError).toBeFalsy();
    expect((await call(client, 'g__git_diff', args)).content[0]!.text).toMatch(/\+changed again/);
    expect((await call(client, 'g__git_diff', { ...args, from: 'HEAD~1' })).isError).toBeFalsy();
    expect((await call(client, 'g__git_show', args)).isError).toBeFalsy();
    expect(readMarkers(markers)).toEqual([]);
  });
});

function readMarkers(dir: string): string[] {
  return ['core.fsmonitor', 'core.pager', 'diff.external', 'filter.evil.clean', 'filter.evil.smudge', 'diff.evil.textconv', 'gpg.program'].filter((key) => existsSync(join(dir, `ran-${key}`)));
}

describe('the git built-in with allowCommit', () => {
  const writable = mkdtempSync(join(tmpdir(), 'outlet-git-rw-'));
  const work = join(writable, 'repo');
  makeRepo(work);
  // A pre-commit hook that would leave a marker in the (writable) root if hooks ran.
  writeFileSync(join(work, '.git', 'hooks', 'pre-commit'), `#!/bin/sh\ntouch '${join(writable, 'hook-ran')}'\n`, { mode: 0o755 });
  giveToSandbox(writable);
  const suite = suiteGateway({ servers: { g: { builtin: 'git', roots: [writable], allowCommit: true, author: { name: 'Outlet', email: 'outlet@example.com' } } } }, { ready: true, timeoutMs: 30_000 });

  it('lists git_commit as a write and commits, with hooks off', async () => {
    const client = await suite.gw.client();
    const { tools } = await client.listTools();
    expect(tools.find((t) => t.name === 'g__git_commit')?.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: false });
    const done = await call(client, 'g__git_commit', { repo: work, message: 'Third line', paths: ['notes.txt'] });
    expect(done.isError).toBeFalsy();
    expect(done.structuredContent!.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(git(work, 'log', '-1', '--format=%s|%an')).toBe('Third line|Outlet\n');
    expect(existsSync(join(writable, 'hook-ran'))).toBe(false);
  });
});

describe('a git entry in the config', () => {
  it('mounts the roots read-only, or writable with allowCommit, and no network', () => {
    const ro = parseConfig({ servers: { g: { builtin: 'git', roots: ['./repo'] } } }, { baseDir: '/srv' }).servers.g!;
    expect(ro.transport === 'stdio' && ro.sandbox).toMatchObject({ network: 'none', mounts: [{ path: outletPackageRoot(), mode: 'ro' }, { path: '/srv/repo', mode: 'ro' }] });
    const rw = parseConfig({ servers: { g: { builtin: 'git', roots: ['/srv/repo'], allowCommit: true } } }).servers.g!;
    expect(rw.transport === 'stdio' && rw.sandbox).toMatchObject({ mounts: [{ path: outletPackageRoot(), mode: 'ro' }, { path: '/srv/repo', mode: 'rw' }] });
    expect(() => parseConfig({ servers: { g: { builtin: 'git', roots: [] } } })).toThrow(/servers\.g\.roots/);
  });
});
