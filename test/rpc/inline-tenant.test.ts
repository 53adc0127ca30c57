import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutletRuntime } from '../../src/outlet/runtime.js';
import { startTestOutlet } from '../helpers/outlet.js';
import { FIXTURE_SANDBOX, rpc, textOf, type RpcAnswer } from './helpers.js';

/**
 * An inline /rpc caller is an untrusted tenant: it names a program and its words (command, args,
 * env, cwd) and nothing of the cage. Every override below was a way out of the sandbox when the
 * request's own sandbox/instances blocks were honoured.
 */
const TENANT = fileURLToPath(new URL('./tenant-probe-server.mjs', import.meta.url));
const tenant = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({ command: process.execPath, args: [TENANT], ...extra });

let outlet: OutletRuntime;
/** A host directory of someone else's (another server's scratch, a /tmp path): world-writable, so only the missing bind keeps the tenant out. */
let victim: string;
/** A project folder a file argument lives in. */
let project: string;

beforeAll(async () => {
  victim = mkdtempSync(join(tmpdir(), 'outlet-victim-'));
  writeFileSync(join(victim, 'secret.txt'), 'not yours');
  chmodSync(victim, 0o777);
  chmodSync(join(victim, 'secret.txt'), 0o666);
  project = mkdtempSync(join(tmpdir(), 'outlet-project-'));
  writeFileSync(join(project, 'package.json'), '{}');
  writeFileSync(join(project, 'data.txt'), 'project data');
  chmodSync(project, 0o755);
  outlet = await startTestOutlet({
    rpc: { enabled: true, sandbox: FIXTURE_SANDBOX, allowCommands: [process.execPath] },
    observability: { metrics: { process: false } },
  });
});

afterAll(async () => {
  await outlet?.close();
  rmSync(victim, { recursive: true, force: true });
  rmSync(project, { recursive: true, force: true });
});

const call = (tool: string, args: Record<string, unknown>, server: Record<string, unknown>): Promise<RpcAnswer> =>
  rpc(outlet.url, 'tools/call', { name: tool, arguments: args, _meta: { 'outlet/server': server } });
const answerOf = (answer: RpcAnswer): Record<string, unknown> => JSON.parse(textOf(answer.body.result)) as Record<string, unknown>;

function expectRefused(answer: RpcAnswer, ...fragments: string[]): void {
  expect(answer.status).toBe(403);
  expect(answer.body.error!.data!.outletCode).toBe('INLINE_SERVER_REFUSED');
  for (const fragment of fragments) expect(answer.body.error!.message).toContain(fragment);
}

describe('what an inline caller may not choose', () => {
  const overrides: [string, Record<string, unknown>, string, string][] = [
    ['the host network', { sandbox: { network: 'host' } }, 'sandbox', 'rpc.sandbox'],
    ['the gateway environment passed through', { sandbox: { env: ['GW_DB_PASSWORD'] } }, 'sandbox', 'rpc.sandbox'],
    ['a mount of /etc/shadow', { sandbox: { mounts: [{ path: '/etc/shadow' }] } }, 'sandbox', 'rpc.sandbox'],
    ['the uid and gid of another service', { sandbox: { uid: 101, gid: 104, mounts: [{ path: '/var/lib/postgresql' }] } }, 'sandbox', 'rpc.sandbox'],
    ['a scratch directory in /etc', { sandbox: { scratch: '/etc/outlet-rt-x' } }, 'sandbox', 'rpc.sandbox'],
    ['a pool of 40 processes', { instances: { mode: 'pool', size: 40 } }, 'instances', 'rpc.maxProcesses'],
    ['its own timeout', { timeoutMs: 999_999_999 }, 'timeoutMs', 'upstream.requestTimeoutMs'],
    ['tool filters', { tools: { exclude: ['x'] } }, 'tools', 'rpc.allowCommands'],
  ];

  it.each(overrides)('refuses %s, naming the key and where the operator sets it', async (_what, override, key, setting) => {
    const answer = await call('where', {}, tenant(override));
    expectRefused(answer, `params._meta["outlet/server"].${key}`, `"${key}" cannot be set by the caller`, setting);
  });

  it('outlet/validate says the same without starting anything', async () => {
    const answer = await rpc(outlet.url, 'outlet/validate', { server: tenant({ sandbox: { network: 'host' }, env: { NODE_OPTIONS: '-r x' } }) });
    expect(answer.body.result).toMatchObject({ valid: true, allowed: false, reason: expect.stringContaining('"sandbox" cannot be set by the caller') });
  });

  it('spawned nothing for the refused requests, and created no directory in /etc', async () => {
    expect(existsSync('/etc/outlet-rt-x')).toBe(false);
    const servers = await rpc(outlet.url, 'outlet/servers');
    expect(servers.body.result!.inline).toEqual([]);
  });

  it('refuses variables that change how code is loaded, naming each, in any case', async () => {
    const bad: Record<string, string> = {
      NODE_OPTIONS: '--import=data:text/javascript,console.error(1)',
      PATH: '/tmp/planted:/usr/bin',
      Path: '/tmp/planted',
      LD_PRELOAD: '/tmp/evil.so',
      npm_config_registry: 'https://evil.example/',
      PYTHONPATH: '/tmp/evil',
      UV_INDEX_URL: 'https://evil.example/simple',
      BASH_ENV: '/tmp/evil.sh',
    };
    for (const [name, value] of Object.entries(bad)) {
      expectRefused(await call('where', {}, tenant({ env: { [name]: value } })), `params._meta["outlet/server"].env.${name}`, 'loads code');
    }
  });

  it('keeps ordinary variables, NODE_ENV included', async () => {
    const answer = await call('where', {}, tenant({ env: { NODE_ENV: 'production', API_REGION: 'eu' } }));
    expect(answer.status).toBe(200);
  });

  it('refuses a cwd outside its own scratch: absolute, or climbing out with ..', async () => {
    for (const cwd of ['/', process.cwd(), '../x', 'a/../../b']) {
      expectRefused(await call('where', {}, tenant({ cwd })), 'params._meta["outlet/server"].cwd', "inside the server's own scratch");
    }
  });
});

describe('the cage of an inline server', () => {
  it('starts in its own scratch, not in the gateway\'s working directory', async () => {
    const where = answerOf(await call('where', {}, tenant()));
    expect(where.cwd).toBe(where.home);
    expect(where.cwd).not.toBe(process.cwd());
    expect(answerOf(await call('list', { path: '.' }, tenant()))).toEqual({ ok: [] });
  });

  it('resolves a relative cwd under its scratch', async () => {
    const where = answerOf(await call('where', {}, tenant({ cwd: 'work/sub' })));
    expect(where.cwd).toBe(`${String(where.home)}/work/sub`);
  });

  it('gets no bind for a directory argument: another server\'s directory stays out of reach', async () => {
    const server = tenant({ args: [TENANT, victim] });
    expect(answerOf(await call('list', { path: victim }, server))).toEqual({ error: 'ENOENT' });
    expect(answerOf(await call('write', { path: join(victim, 'secret.txt') }, server))).toHaveProperty('error');
    expect(readdirSync(victim)).toEqual(['secret.txt']);
  });

  it('gets no bind for a file argument\'s project', async () => {
    const server = tenant({ args: [TENANT, join(project, 'data.txt')] });
    expect(answerOf(await call('list', { path: project }, server))).toEqual({ error: 'ENOENT' });
  });
});
