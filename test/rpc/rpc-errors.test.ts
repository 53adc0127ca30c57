import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/index.js';
import { Gateway } from '../../src/gateway/gateway.js';
import type { OutletRuntime } from '../../src/outlet/runtime.js';
import { createHttpApp } from '../../src/inbound/http/http-app.js';
import { pino } from 'pino';
import { startTestOutlet, waitReady } from '../helpers/outlet.js';
import { FIXTURE_SANDBOX, inlineFixture, META_ECHO, rpc, rpcRaw, textOf } from './helpers.js';

/** What /rpc refuses, and how: every refusal a JSON-RPC error with the outlet's code and an HTTP status. */
let outlet: OutletRuntime;

beforeAll(async () => {
  outlet = await startTestOutlet({
    servers: { named: { command: process.execPath, args: [META_ECHO] } },
    rpc: { enabled: true, sandbox: FIXTURE_SANDBOX, allowCommands: [process.execPath], allowPackages: ['@modelcontextprotocol/server-memory'] },
    observability: { metrics: { process: false } },
  });
  await waitReady(outlet.url);
});

afterAll(async () => {
  await outlet?.close();
});

describe('the allowlist', () => {
  it('refuses a command not on it, naming the command, and spawns nothing', async () => {
    const answer = await rpc(outlet.url, 'tools/list', { _meta: { 'outlet/server': { command: '/bin/sh', args: ['-c', 'echo pwned'] } } });
    expect(answer.status).toBe(403);
    expect(answer.body.error!.data!.outletCode).toBe('INLINE_SERVER_REFUSED');
    expect(answer.body.error!.message).toContain('"/bin/sh" is not on rpc.allowCommands');
    const servers = await rpc(outlet.url, 'outlet/servers');
    expect(servers.body.result!.inline).toEqual([]);
  });

  it('refuses a launcher package not on it, and a launcher flag that runs a shell', async () => {
    const answer = await rpc(outlet.url, 'outlet/validate', { server: { command: 'npx', args: ['-y', 'left-pad'] } });
    expect(answer.body.result).toMatchObject({ valid: true, allowed: false, reason: expect.stringContaining('"npx" is not on rpc.allowCommands') });
    const shell = await rpc(outlet.url, 'tools/list', { _meta: { 'outlet/server': { command: process.execPath, args: ['-e', 'require("child_process").execSync("id")'] } } });
    expect(shell.status).not.toBe(403); // the operator allowed node itself: its arguments are the operator's risk
  });

  it('outlet/validate reports schema problems by path and redacts the env', async () => {
    const bad = await rpc(outlet.url, 'outlet/validate', { server: { command: process.execPath, argz: [] } });
    expect(bad.body.result).toMatchObject({ valid: false, issues: [{ path: 'params.server.argz', message: expect.stringContaining('unknown key') }] });
    const good = await rpc(outlet.url, 'outlet/validate', { server: inlineFixture({ env: { API_TOKEN: 'sekret-value' } }) });
    expect(good.body.result).toMatchObject({ valid: true, allowed: true });
    expect(JSON.stringify(good.body.result)).not.toContain('sekret-value');
  });
});

describe('bad requests', () => {
  it('an invalid inline config is INVALID_PARAMS naming the path', async () => {
    const answer = await rpc(outlet.url, 'tools/list', { _meta: { 'outlet/server': { command: 42 } } });
    expect(answer.status).toBe(400);
    expect(answer.body.error!.data!.outletCode).toBe('INVALID_PARAMS');
    expect(answer.body.error!.message).toContain('params._meta["outlet/server"].command');
  });

  it('malformed bodies get parse and request errors', async () => {
    const parse = await rpcRaw(outlet.url, '{"jsonrpc":');
    expect(parse).toMatchObject({ status: 400, body: { id: null, error: { code: -32700 } } });
    const batch = await rpcRaw(outlet.url, '[]');
    expect(batch.body.error!.data!.outletCode).toBe('BATCH_NOT_SUPPORTED');
    const note = await rpcRaw(outlet.url, JSON.stringify({ jsonrpc: '2.0', method: 'outlet/ping' }));
    expect(note.body.error!.message).toContain('notification');
    const params = await rpcRaw(outlet.url, JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/list', params: [1] }));
    expect(params).toMatchObject({ status: 400, body: { id: 7, error: { code: -32602 } } });
  });

  it('unknown outlet methods are METHOD_NOT_FOUND; initialize is refused as stateless', async () => {
    const unknown = await rpc(outlet.url, 'outlet/nope');
    expect(unknown).toMatchObject({ status: 404, body: { error: { code: -32601 } } });
    const init = await rpc(outlet.url, 'initialize', {});
    expect(init.body.error!.message).toContain('stateless');
  });

  it('content limits apply to inline calls too: a deeply nested argument is INPUT_LIMIT_EXCEEDED', async () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 80; i++) deep = { d: deep };
    const answer = await rpc(outlet.url, 'tools/call', { name: 'login', arguments: { deep }, _meta: { 'outlet/server': inlineFixture() } });
    expect(answer.status).toBe(400);
    expect(answer.body.error!.data!.outletCode).toBe('INPUT_LIMIT_EXCEEDED');
  });

  it('an unknown server name is UNKNOWN_SERVER', async () => {
    const answer = await rpc(outlet.url, 'tools/list', { _meta: { 'outlet/serverName': 'ghost' } });
    expect(answer).toMatchObject({ status: 404, body: { error: { data: { outletCode: 'UNKNOWN_SERVER' } } } });
  });
});

describe('the outlet\'s own methods and named servers', () => {
  it('outlet/ping answers', async () => {
    expect((await rpc(outlet.url, 'outlet/ping')).body.result).toMatchObject({ ok: true });
  });

  it('outlet/servers lists the configured servers with state and tool count', async () => {
    const servers = (await rpc(outlet.url, 'outlet/servers')).body.result!.servers as { name: string; state: string; tools: number }[];
    expect(servers).toEqual([expect.objectContaining({ name: 'named', state: 'connected', tools: 4 })]);
  });

  it('a call by server name reaches the configured server, names unprefixed', async () => {
    const answer = await rpc(outlet.url, 'tools/call', { name: 'echo_meta', arguments: {}, _meta: { 'outlet/serverName': 'named' } });
    expect(answer.status).toBe(200);
    expect(textOf(answer.body.result)).toContain('{');
  });

  it('without a server, the aggregated catalog answers', async () => {
    const answer = await rpc(outlet.url, 'tools/call', { name: 'named__sleep', arguments: { ms: 1 } });
    expect(textOf(answer.body.result)).toBe('slept 1');
  });
});

describe('where inline configs are off', () => {
  it('by default: refused with the setting to change', async () => {
    const plain = await startTestOutlet({ observability: { metrics: { process: false } } });
    try {
      const answer = await rpc(plain.url, 'tools/list', { _meta: { 'outlet/server': inlineFixture() } });
      expect(answer.status).toBe(403);
      expect(answer.body.error!.message).toContain('rpc.enabled');
    } finally {
      await plain.close();
    }
  });

  it('without authentication on a non-loopback address: refused', async () => {
    const config = parseConfig({ listen: { host: '0.0.0.0', port: 0 }, rpc: { enabled: true, sandbox: FIXTURE_SANDBOX, allowCommands: [process.execPath] } });
    const gateway = await Gateway.start(config, { logger: pino({ level: 'silent' }) });
    try {
      const app = createHttpApp(gateway);
      const res = await app.fetch(
        new Request('http://127.0.0.1/rpc', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: { _meta: { 'outlet/server': inlineFixture() } } }),
        }),
      );
      expect(res.status).toBe(403);
      expect(((await res.json()) as { error: { message: string } }).error.message).toContain('loopback');
    } finally {
      await gateway.close();
    }
  });
});
