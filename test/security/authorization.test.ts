import type { Client } from '@modelcontextprotocol/client';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE, startSecureOutlet, type SecureOutlet } from './harness.js';
import { connectWith, modern, parseChallenge } from './http.js';
import { sha256 } from './keys.js';

// RBAC in the policy chain, seen through MCP clients: what a principal may not use is not in its
// lists, and calling it gets the same "Unknown tool" as a tool that does not exist.
const KEYS = { reader: 'key-reader-1234567890', writer: 'key-writer-1234567890', admin: 'key-admin-1234567890', adminScoped: 'key-admin-scoped-123456', nobody: 'key-nobody-1234567890' };

let outlet: SecureOutlet;
const clients: Client[] = [];
const dir = mkdtempSync(join(tmpdir(), 'outlet-authz-'));

const SECTIONS = {
  auth: {
    resource: 'https://outlet.example.com/mcp',
    authorizationServers: ['https://idp.example.com'],
    apiKeys: [
      { sha256: sha256(KEYS.reader), principal: 'rita', roles: ['reader'] },
      { sha256: sha256(KEYS.writer), principal: 'will', roles: ['writer'] },
      { sha256: sha256(KEYS.admin), principal: 'ada', roles: ['admin'] },
      { sha256: sha256(KEYS.adminScoped), principal: 'ada2', roles: ['admin'], scopes: ['mcp:admin'] },
      { sha256: sha256(KEYS.nobody), principal: 'nobody', roles: ['guest'] },
    ],
  },
  policies: [
    { effect: 'allow', roles: ['reader'], tools: ['fx__read_*', 'fx__echo'], description: 'readers read' },
    { effect: 'allow', roles: ['writer'], tools: ['fx__write_file'], arguments: { path: { glob: ['/data/**'] } }, description: 'writers write under /data' },
    { effect: 'deny', roles: ['writer'], tools: ['fx__write_file'], arguments: { mode: { equals: ['overwrite'] } }, description: 'no overwrites' },
    { effect: 'allow', roles: ['admin'], scopes: ['mcp:admin'], description: 'admins, with the admin scope' },
    { effect: 'allow', roles: ['reader'], prompts: ['fx__greet'], resources: ['note://public/**'] },
    { effect: 'allow', roles: ['writer'], resources: ['note://**'], description: 'writers see every note' },
    { effect: 'deny', roles: ['writer'], resources: ['note://secret/**'], description: 'but not the secret ones' },
  ],
  audit: { file: join(dir, 'audit.jsonl') },
};

beforeAll(async () => {
  outlet = await startSecureOutlet({ servers: { fx: { command: process.execPath, args: [FIXTURE] } } }, SECTIONS);
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
  await outlet?.close();
});

async function client(key: string, path = '/mcp', era: '2025-11-25' | '2026-07-28' = '2025-11-25'): Promise<Client> {
  const c = await connectWith(`${outlet.url}${path}`, key, era);
  clients.push(c);
  return c;
}

async function callError(c: Client, name: string, args: Record<string, unknown> = {}): Promise<{ code: number; message: string; data: unknown }> {
  try {
    await c.callTool({ name, arguments: args });
  } catch (err) {
    const e = err as { code: number; message: string; data: unknown };
    return { code: e.code, message: e.message, data: e.data };
  }
  throw new Error(`call to ${name} succeeded`);
}

describe('tools a principal may not use', () => {
  it('are not in its tools/list, on the aggregate and on the per-server endpoint, in both eras', async () => {
    for (const era of ['2025-11-25', '2026-07-28'] as const) {
      const agg = await client(KEYS.reader, '/mcp', era);
      expect((await agg.listTools()).tools.map((t) => t.name).sort()).toEqual(['fx__echo', 'fx__read_file']);
      const own = await client(KEYS.reader, '/servers/fx/mcp', era);
      expect((await own.listTools()).tools.map((t) => t.name).sort()).toEqual(['echo', 'read_file']);
    }
  });

  it('are answered exactly like tools that do not exist', async () => {
    const c = await client(KEYS.reader);
    const denied = await callError(c, 'fx__admin_reset');
    const missing = await callError(c, 'fx__no_such_tool');
    expect(denied.code).toBe(-32602);
    expect(denied.message).toBe('Unknown tool "fx__admin_reset"');
    expect(missing.message).toBe('Unknown tool "fx__no_such_tool"');
    expect(denied.data).toEqual({ outletCode: 'UNKNOWN_TOOL', tool: 'fx__admin_reset' });
    expect(missing.data).toEqual({ outletCode: 'UNKNOWN_TOOL', tool: 'fx__no_such_tool' });
    // The allowed ones work.
    expect((await c.callTool({ name: 'fx__read_file', arguments: { path: '/x' } })).content).toEqual([{ type: 'text', text: 'read /x' }]);
  });

  it('are refused on the per-server endpoint too', async () => {
    const c = await client(KEYS.reader, '/servers/fx/mcp');
    const denied = await callError(c, 'admin_reset');
    expect(denied.message).toBe('Unknown tool "admin_reset"');
  });

  it('fall to the default deny when no rule matches', async () => {
    const c = await client(KEYS.nobody);
    expect((await c.listTools()).tools).toEqual([]);
    expect((await callError(c, 'fx__echo', { text: 'x' })).message).toBe('Unknown tool "fx__echo"');
  });
});

describe('rules on arguments', () => {
  it('allow a write under /data, and refuse other paths, traversal and a denied mode', async () => {
    const c = await client(KEYS.writer);
    expect((await c.listTools()).tools.map((t) => t.name)).toEqual(['fx__write_file']);
    const ok = await c.callTool({ name: 'fx__write_file', arguments: { path: '/data/notes.txt', content: 'hi' } });
    expect(ok.content).toEqual([{ type: 'text', text: 'wrote 2 characters to /data/notes.txt' }]);
    for (const args of [
      { path: '/etc/passwd', content: 'x' },
      { path: '/data/../etc/passwd', content: 'x' },
      { path: '/data/%2e%2e/etc/passwd', content: 'x' },
      { path: '/data/a.txt', content: 'x', mode: 'overwrite' },
    ]) {
      expect((await callError(c, 'fx__write_file', args)).message, JSON.stringify(args)).toBe('Unknown tool "fx__write_file"');
    }
  });
});

describe('scopes', () => {
  it('answer 403 insufficient_scope with the scope to ask for, over HTTP', async () => {
    const answer = await modern(outlet.url, 'tools/call', { name: 'fx__admin_reset', arguments: {} }, { token: KEYS.admin });
    expect(answer.status).toBe(403);
    const challenge = parseChallenge(answer.headers.get('www-authenticate'));
    expect(challenge.scheme).toBe('Bearer');
    expect(challenge.params.error).toBe('insufficient_scope');
    expect(challenge.params.scope).toBe('mcp:admin');
    expect(challenge.params.resource_metadata).toBe('https://outlet.example.com/.well-known/oauth-protected-resource/mcp');
    // The tool stays visible to the admin: stepping up the scope is how to use it.
    const listed = await modern(outlet.url, 'tools/list', {}, { token: KEYS.admin });
    expect((listed.json?.result as { tools: { name: string }[] }).tools.map((t) => t.name)).toContain('fx__admin_reset');
  });

  it('are satisfied by a credential that has them', async () => {
    const answer = await modern(outlet.url, 'tools/call', { name: 'fx__admin_reset', arguments: {} }, { token: KEYS.adminScoped });
    expect(answer.status).toBe(200);
    expect(answer.json?.result).toMatchObject({ content: [{ type: 'text', text: 'reset' }] });
  });
});

describe('prompts and resources', () => {
  it('are filtered from lists and refused like missing ones', async () => {
    const c = await client(KEYS.reader);
    expect((await c.listPrompts()).prompts.map((p) => p.name)).toEqual(['fx__greet']);
    expect((await c.getPrompt({ name: 'fx__greet', arguments: { name: 'Rita' } })).messages[0]?.content).toEqual({ type: 'text', text: 'Hello Rita' });
    await expect(c.getPrompt({ name: 'fx__secret_plan' })).rejects.toThrow('Unknown prompt "fx__secret_plan"');
    expect((await c.listResources()).resources.map((r) => r.uri)).toEqual(['note://public/hello']);
    expect((await c.readResource({ uri: 'note://public/hello' })).contents[0]).toMatchObject({ text: 'hello' });
    await expect(c.readResource({ uri: 'note://secret/plans' })).rejects.toThrow('Unknown resource "note://secret/plans"');
  });
});

describe('resource templates', () => {
  const templates = async (c: Client) => (await c.listResourceTemplates()).resourceTemplates.map((t) => t.uriTemplate).sort();

  it('are listed only where an allow rule can produce some URI of theirs (compared by literal prefix)', async () => {
    for (const era of ['2025-11-25', '2026-07-28'] as const) {
      // Allowed note://public/**: the public template, and the template over every note (some of
      // its URIs are public); not note://secret/{id}, which no rule allows (default deny).
      expect(await templates(await client(KEYS.reader, '/mcp', era)), era).toEqual(['note://public/{id}', 'note://{area}/{name}']);
      expect(await templates(await client(KEYS.reader, '/servers/fx/mcp', era)), era).toEqual(['note://public/{id}', 'note://{area}/{name}']);
      expect(await templates(await client(KEYS.nobody, '/mcp', era)), era).toEqual([]);
    }
  });

  it('are hidden by a deny rule that covers every URI they can produce, and only then', async () => {
    // note://secret/** denies all of note://secret/{id}; note://{area}/{name} stays (only a corner of it is denied).
    expect(await templates(await client(KEYS.writer))).toEqual(['note://public/{id}', 'note://{area}/{name}']);
    const admin = await modern(outlet.url, 'resources/templates/list', {}, { token: KEYS.adminScoped });
    expect((admin.json?.result as { resourceTemplates: { uriTemplate: string }[] }).resourceTemplates.map((t) => t.uriTemplate).sort()).toEqual([
      'note://public/{id}',
      'note://secret/{id}',
      'note://{area}/{name}',
    ]);
  });

  it('do not open reads: each URI read through a template is decided on its own', async () => {
    const c = await client(KEYS.writer);
    expect((await c.readResource({ uri: 'note://public/7' })).contents[0]).toMatchObject({ text: 'public note note://public/7' });
    await expect(c.readResource({ uri: 'note://secret/7' })).rejects.toThrow('Unknown resource "note://secret/7"');
  });
});

describe('sessions', () => {
  it('stay bound to the principal that opened them', async () => {
    const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
    const init = await fetch(`${outlet.url}/mcp`, {
      method: 'POST',
      headers: { ...headers, authorization: `Bearer ${KEYS.reader}` },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } }),
    });
    await init.text();
    const sessionId = init.headers.get('mcp-session-id')!;
    expect(sessionId).toBeTruthy();
    const body = JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' });
    const stolen = await fetch(`${outlet.url}/mcp`, { method: 'POST', headers: { ...headers, 'mcp-session-id': sessionId, authorization: `Bearer ${KEYS.writer}` }, body });
    expect(stolen.status).toBe(404);
    expect(((await stolen.json()) as { error: { data: { outletCode: string } } }).error.data.outletCode).toBe('SESSION_NOT_FOUND');
    const own = await fetch(`${outlet.url}/mcp`, { method: 'POST', headers: { ...headers, 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-11-25', authorization: `Bearer ${KEYS.reader}` }, body });
    expect(own.status).toBe(200);
    await own.text();
  });
});

describe('the audit trail', () => {
  it('records denials with principal, target, decision, reason and rule', async () => {
    const c = await client(KEYS.writer);
    await callError(c, 'fx__write_file', { path: '/data/a', content: 'x', mode: 'overwrite' });
    await new Promise((r) => setTimeout(r, 100));
    const denial = outlet.auditRecords().find((r) => r.event === 'authz.deny' && r.principal?.id === 'will' && r.rule?.includes('no overwrites'));
    expect(denial).toMatchObject({
      principal: { id: 'will', roles: ['writer'], via: 'api-key' },
      target: { method: 'tools/call', server: 'fx', tool: 'fx__write_file', endpoint: 'aggregate' },
      decision: 'deny',
    });
    expect(denial?.reason).toContain('policies[2]');
  });
});

describe('the default decision flag', () => {
  it('allows what no rule matches when set to "allow" (deny rules still apply)', async () => {
    const open = await startSecureOutlet(
      { servers: { fx: { command: process.execPath, args: [FIXTURE] } } },
      {
        auth: { apiKeys: [{ sha256: sha256(KEYS.nobody), principal: 'nobody', roles: ['guest'] }], defaultDecision: 'allow' },
        policies: [{ effect: 'deny', tools: ['fx__admin_*'] }],
      },
    );
    try {
      const c = await connectWith(`${open.url}/mcp`, KEYS.nobody);
      const names = (await c.listTools()).tools.map((t) => t.name);
      expect(names).toContain('fx__echo');
      expect(names).not.toContain('fx__admin_reset');
      await c.close();
    } finally {
      await open.close();
    }
  });
});
