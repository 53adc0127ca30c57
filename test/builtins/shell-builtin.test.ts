import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/client';
import { describe, expect, it } from 'vitest';
import { outletPackageRoot } from '../../src/config/builtins/outlet-package.js';
import { parseConfig } from '../../src/config/index.js';
import { suiteGateway } from '../helpers/suite-gateway.js';
import { giveToSandbox } from './git-fixture.js';

type CallResult = { content: { type: string; text: string }[]; isError?: boolean; structuredContent?: Record<string, unknown> };
const run = async (client: Client, args: Record<string, unknown>) => (await client.callTool({ name: 'sh__execute_command', arguments: args })) as CallResult;

const root = mkdtempSync(join(tmpdir(), 'outlet-shell-'));
const work = join(root, 'work');
mkdirSync(join(work, 'src'), { recursive: true });
writeFileSync(join(work, 'src', 'a.txt'), 'alpha\nbeta\n');
// Outside the roots: a secret a command must not read, a folder it must not write.
const outside = mkdtempSync(join(tmpdir(), 'outlet-shell-out-'));
writeFileSync(join(outside, 'secret.txt'), 'top secret\n');
giveToSandbox(root);
giveToSandbox(outside);

const allow = ['ls', 'cat', 'grep', 'echo', 'true', 'sleep', 'yes', 'rm', 'touch', 'bash'];

describe('the shell built-in', () => {
  const suite = suiteGateway({ servers: { sh: { builtin: 'shell', allowCommands: allow, denyCommands: ['rm', 'bash'], roots: [work], commandTimeoutMs: 2000, maxOutputBytes: 4096 } } }, { ready: true, timeoutMs: 30_000 });

  it('runs an allowed command in the roots and returns its exit code', async () => {
    const client = await suite.gw.client();
    const ls = await run(client, { command: 'ls', args: ['src'] });
    expect(ls.structuredContent).toMatchObject({ exitCode: 0, stdout: 'a.txt\n', timedOut: false, truncated: false });
    const grep = await run(client, { command: 'grep', args: ['-n', 'beta', 'a.txt'], cwd: join(work, 'src') });
    expect(grep.structuredContent).toMatchObject({ exitCode: 0, stdout: '2:beta\n' });
    const miss = await run(client, { command: 'grep', args: ['gamma', 'src/a.txt'] });
    expect(miss.structuredContent).toMatchObject({ exitCode: 1, stdout: '' });
    const exists = (await client.callTool({ name: 'sh__check_command_exists', arguments: { command: 'cat' } })) as CallResult;
    expect(exists.structuredContent).toMatchObject({ allowed: true, exists: true });
    const denied = (await client.callTool({ name: 'sh__check_command_exists', arguments: { command: 'rm' } })) as CallResult;
    expect(denied.structuredContent).toMatchObject({ allowed: false, exists: true, reason: expect.stringMatching(/deny list/) });
  });

  it('refuses denied and unlisted commands, shells and metacharacters', async () => {
    const client = await suite.gw.client();
    expect((await run(client, { command: 'rm', args: ['-rf', 'src'] })).content[0]!.text).toMatch(/command: "rm" is on the deny list/);
    expect((await run(client, { command: 'bash', args: ['-c', 'rm -rf src'] })).content[0]!.text).toMatch(/"bash" is on the deny list/);
    expect((await run(client, { command: 'sh', args: ['-c', 'id'] })).content[0]!.text).toMatch(/"sh" is not on the allowlist/);
    const meta = await run(client, { command: 'ls; rm -rf /' });
    expect(meta.isError).toBe(true);
    expect(meta.content[0]!.text).toMatch(/no shell runs here: give the program's bare name in command and each argument as its own string in args/);
    expect((await run(client, { command: '/bin/ls' })).content[0]!.text).toMatch(/is a path/);
    expect(existsSync(join(work, 'src', 'a.txt'))).toBe(true);
  });

  it('refuses arguments and a cwd outside the roots', async () => {
    const client = await suite.gw.client();
    expect((await run(client, { command: 'cat', args: ['../../etc/passwd'] })).content[0]!.text).toMatch(/args\[0\]: "..\/..\/etc\/passwd" is outside the configured roots/);
    expect((await run(client, { command: 'cat', args: [join(outside, 'secret.txt')] })).content[0]!.text).toMatch(/args\[0\].*outside/);
    expect((await run(client, { command: 'grep', args: [`--file=${join(outside, 'secret.txt')}`, 'src/a.txt'] })).content[0]!.text).toMatch(/args\[0\].*outside/);
    expect((await run(client, { command: 'ls', cwd: outside })).content[0]!.text).toMatch(/cwd: ".*" is outside the configured roots/);
  });

  it('kills a command that runs too long and cuts an output flood', async () => {
    const client = await suite.gw.client();
    const slow = await run(client, { command: 'sleep', args: ['30'] });
    expect(slow.structuredContent).toMatchObject({ timedOut: true, signal: 'SIGKILL' });
    const flood = await run(client, { command: 'yes' });
    expect(flood.structuredContent).toMatchObject({ truncated: true });
    const out = flood.structuredContent!.stdout as string;
    expect(out).toMatch(/\[\.\.\. output cut at 4096 bytes of stdout\]$/);
    expect(out.length).toBeLessThan(4200);
  });
});

// The cage alone: with the server's own checks off (a test-only seam), a command that reads or
// writes outside the roots still fails, because only the roots are mounted, and read-only.
describe('the shell built-in with its checks off', () => {
  process.env.OUTLET_BUILTIN_UNSAFE_TEST_SHELL = '1';
  const suite = suiteGateway(
    { servers: { sh: { builtin: 'shell', allowCommands: ['ls'], roots: [work], sandbox: { env: ['OUTLET_BUILTIN_UNSAFE_TEST_SHELL'] } } } },
    { ready: true, timeoutMs: 30_000 },
  );

  it('is still held by the sandbox', async () => {
    const client = await suite.gw.client();
    const read = await run(client, { command: 'cat', args: [join(outside, 'secret.txt')] });
    expect(read.structuredContent).toMatchObject({ exitCode: 1, stderr: expect.stringMatching(/No such file or directory/) });
    const shell = await run(client, { command: 'bash', args: ['-c', `cat ${join(outside, 'secret.txt')}; touch ${join(outside, 'written')}; touch ${join(work, 'written')}`] });
    expect(shell.isError).toBeFalsy();
    expect(shell.structuredContent!.stdout).not.toMatch(/top secret/);
    expect(existsSync(join(outside, 'written'))).toBe(false);
    expect(existsSync(join(work, 'written'))).toBe(false);
    delete process.env.OUTLET_BUILTIN_UNSAFE_TEST_SHELL;
  });
});

describe('a shell entry in the config', () => {
  it('mounts the roots read-only (writable only when asked) with no network, and checks command names', () => {
    const entry = parseConfig({ servers: { s: { builtin: 'shell', allowCommands: ['ls'], roots: ['./work'] } } }, { baseDir: '/srv' }).servers.s!;
    expect(entry.transport === 'stdio' && entry.sandbox).toMatchObject({ network: 'none', mounts: [{ path: outletPackageRoot(), mode: 'ro' }, { path: '/srv/work', mode: 'ro' }] });
    const rw = parseConfig({ servers: { s: { builtin: 'shell', allowCommands: ['ls'], roots: ['/srv/work'], writable: true } } }).servers.s!;
    expect(rw.transport === 'stdio' && rw.sandbox).toMatchObject({ mounts: [{ path: outletPackageRoot(), mode: 'ro' }, { path: '/srv/work', mode: 'rw' }] });
    expect(() => parseConfig({ servers: { s: { builtin: 'shell', allowCommands: ['/bin/ls'], roots: ['/w'] } } })).toThrow(/allowCommands\[0\]: expected a bare command name/);
  });
});
