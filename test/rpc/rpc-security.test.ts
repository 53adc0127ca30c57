import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE, startSecureOutlet, type SecureOutlet } from '../security/harness.js';
import { sha256 } from '../security/keys.js';
import { eventually } from '../helpers/outlet.js';
import { FIXTURE_SANDBOX, inlineFixture, rpc, textOf } from './helpers.js';

// /rpc behind authentication: the same principals, policies and codes as MCP. What a principal may
// not use is missing from its lists and refused like an unknown tool; inline servers need a
// principal that authenticated and that a policy grants rpc:inline, and policies apply to their
// calls; operator methods need an admin role.
const KEYS = { reader: 'rpc-key-reader-1234567890', admin: 'rpc-key-admin-1234567890', writer: 'rpc-key-writer-1234567890' };
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

let outlet: SecureOutlet;

beforeAll(async () => {
  outlet = await startSecureOutlet(
    {
      servers: { fx: { command: process.execPath, args: [FIXTURE] } },
      rpc: { enabled: true, sandbox: FIXTURE_SANDBOX, allowCommands: [process.execPath] },
      observability: { metrics: { process: false } },
    },
    {
      auth: {
        resource: 'https://outlet.example.com/mcp',
        apiKeys: [
          { sha256: sha256(KEYS.reader), principal: 'rita', roles: ['reader'] },
          { sha256: sha256(KEYS.admin), principal: 'ada', roles: ['admin'] },
          { sha256: sha256(KEYS.writer), principal: 'walt', roles: ['writer'] },
        ],
        adminRoles: ['admin'],
      },
      audit: { file: join(mkdtempSync(join(tmpdir(), 'outlet-rpc-audit-')), 'audit.jsonl') },
      policies: [
        { effect: 'allow', roles: ['reader'], tools: ['fx__echo'] },
        { effect: 'allow', roles: ['admin'] },
        { effect: 'allow', roles: ['reader'], rpc: ['inline'] },
        { effect: 'deny', roles: ['reader'], tools: ['*__login'] },
      ],
    },
  );
});

afterAll(async () => {
  await outlet?.close();
});

describe('/rpc with authentication on', () => {
  it('refuses a request without credentials with 401', async () => {
    const res = await fetch(`${outlet.url}/rpc`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'outlet/ping' }) });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer /);
  });

  it('lists only the tools the principal may use, and refuses the others like unknown tools', async () => {
    const list = await rpc(outlet.url, 'tools/list', {}, bearer(KEYS.reader));
    expect((list.body.result!.tools as { name: string }[]).map((t) => t.name)).toEqual(['fx__echo']);
    const named = await rpc(outlet.url, 'tools/list', { _meta: { 'outlet/serverName': 'fx' } }, bearer(KEYS.reader));
    expect((named.body.result!.tools as { name: string }[]).map((t) => t.name)).toEqual(['echo']);
    const denied = await rpc(outlet.url, 'tools/call', { name: 'fx__read_file', arguments: { path: '/etc/hostname' } }, bearer(KEYS.reader));
    expect(denied.body.error).toMatchObject({ code: -32602, data: { outletCode: 'UNKNOWN_TOOL' } });
    const allowed = await rpc(outlet.url, 'tools/call', { name: 'fx__echo', arguments: { text: 'hi' } }, bearer(KEYS.reader));
    expect(allowed.status).toBe(200);
    expect(textOf(allowed.body.result)).toContain('hi');
  });

  it('keeps operator methods to admin roles', async () => {
    const refused = await rpc(outlet.url, 'outlet/servers', {}, bearer(KEYS.reader));
    expect(refused).toMatchObject({ status: 403, body: { error: { data: { outletCode: 'FORBIDDEN' } } } });
    const shown = await rpc(outlet.url, 'outlet/servers', {}, bearer(KEYS.admin));
    expect(shown.status).toBe(200);
  });

  it('refuses inline servers to a principal no policy grants rpc:inline, even one an allow-all rule covers', async () => {
    for (const key of [KEYS.writer, KEYS.admin]) {
      const answer = await rpc(outlet.url, 'tools/call', { name: 'echo_meta', arguments: {}, _meta: { 'outlet/server': inlineFixture() } }, bearer(key));
      expect(answer.status).toBe(403);
      expect(answer.body.error!.data!.outletCode).toBe('INLINE_SERVER_REFUSED');
      expect(answer.body.error!.message).toContain('no policy grants rpc:inline');
    }
    // The audit file is written through a stream: the second record may land just after the answer.
    const refusals = await eventually(() => {
      const found = outlet.auditRecords().filter((r) => r.target.method === 'rpc:inline');
      return found.length >= 2 ? found : undefined;
    });
    expect(refusals!.map((r) => [r.principal?.id, r.decision])).toEqual([
      ['walt', 'deny'],
      ['ada', 'deny'],
    ]);
  });

  it('applies policies to inline calls: a denied tool is hidden from the list and refused like an unknown one', async () => {
    const list = await rpc(outlet.url, 'tools/list', { _meta: { 'outlet/server': inlineFixture() } }, bearer(KEYS.reader));
    const names = (list.body.result!.tools as { name: string }[]).map((t) => t.name);
    expect(names).toContain('echo_meta');
    expect(names).not.toContain('login');
    const denied = await rpc(outlet.url, 'tools/call', { name: 'login', arguments: { user: 'x' }, _meta: { 'outlet/server': inlineFixture() } }, bearer(KEYS.reader));
    expect(denied.body.error).toMatchObject({ code: -32602, data: { outletCode: 'UNKNOWN_TOOL' } });
  });

  it('runs an inline server for an authenticated principal granted rpc:inline', async () => {
    const answer = await rpc(outlet.url, 'tools/call', { name: 'echo_meta', arguments: {}, _meta: { 'outlet/server': inlineFixture() } }, bearer(KEYS.reader));
    expect(answer.status).toBe(200);
    expect(answer.body.result!.isError).toBeUndefined();
  });
});
