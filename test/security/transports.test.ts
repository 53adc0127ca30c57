import { Client, InMemoryTransport, SSEClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSecuritySections } from '../../src/config/auth-schema.js';
import { createPolicyLayer } from '../../src/policy/policy-layer.js';
import { AGGREGATE_CAPABILITIES } from '../../src/gateway/capabilities.js';
import { buildPolicyChain } from '../../src/policy/chain.js';
import { compose } from '../../src/policy/compose.js';
import { createGatewayServer } from '../../src/protocol/gateway-server.js';
import { FIXTURE, startSecureOutlet, type SecureOutlet } from './harness.js';
import { connectWith, modern } from './http.js';
import { sha256 } from './keys.js';

// The same principal and policies on every way in: legacy SSE sessions, `outlet stdio` (no HTTP
// credentials), anonymous access when allowed; and nothing secret in what goes back out.
const KEYS = { reader: 'transport-reader-key-123456', other: 'transport-other-key-1234567' };
const SECTIONS = {
  auth: {
    resource: 'https://outlet.example.com/mcp',
    authorizationServers: ['https://idp.example.com'],
    apiKeys: [
      { sha256: sha256(KEYS.reader), principal: 'rita', roles: ['reader'] },
      { sha256: sha256(KEYS.other), principal: 'otto', roles: ['reader'] },
    ],
    stdio: { principal: 'local-user', roles: ['local'] },
  },
  policies: [
    { effect: 'allow', roles: ['reader'], tools: ['fx__read_*'] },
    { effect: 'allow', roles: ['local'], tools: ['fx__echo'] },
    { effect: 'allow', roles: ['guest'], tools: ['fx__admin_reset'] },
  ],
};

let outlet: SecureOutlet;

beforeAll(async () => {
  outlet = await startSecureOutlet({ servers: { fx: { command: process.execPath, args: [FIXTURE] } } }, SECTIONS);
});

afterAll(async () => {
  await outlet?.close();
});

describe('legacy HTTP+SSE', () => {
  it('authenticates the stream and each POST, filters lists, and binds the session to its principal', async () => {
    const client = new Client({ name: 'sse', version: '1' });
    await client.connect(new SSEClientTransport(new URL(`${outlet.url}/sse`), { authProvider: { token: async () => KEYS.reader } }));
    try {
      expect((await client.listTools()).tools.map((t) => t.name)).toEqual(['fx__read_file']);
      await expect(client.callTool({ name: 'fx__echo', arguments: { text: 'x' } })).rejects.toThrow('Unknown tool "fx__echo"');
    } finally {
      await client.close();
    }
    // A stream opened by one principal cannot be fed by another.
    const controller = new AbortController();
    const stream = await fetch(`${outlet.url}/sse`, { headers: { authorization: `Bearer ${KEYS.reader}`, accept: 'text/event-stream' }, signal: controller.signal });
    const reader = stream.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    const endpoint = /data: (\S+)/.exec(first)![1]!;
    const post = (key: string) =>
      fetch(`${outlet.url}${endpoint}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: '{"jsonrpc":"2.0","id":1,"method":"ping"}' });
    expect((await post(KEYS.other)).status).toBe(404);
    expect((await post(KEYS.reader)).status).toBe(202);
    controller.abort();
  });

  it('refuses the stream without credentials', async () => {
    const res = await fetch(`${outlet.url}/sse`, { headers: { accept: 'text/event-stream' } });
    expect(res.status).toBe(401);
    await res.text();
  });
});

describe('stdio (no HTTP credentials)', () => {
  it('runs as the configured stdio principal under the same policies', async () => {
    const security = createPolicyLayer({ namespace: { separator: '__' }, servers: { fx: { prefix: 'fx', enabled: true } }, ...parseSecuritySections(SECTIONS) }, { catalog: () => outlet.gateway.currentCatalog() });
    const mcp = createGatewayServer({
      scope: { kind: 'aggregate' },
      session: { era: 'legacy', transport: 'stdio' },
      handle: compose(buildPolicyChain(security), (ctx) => outlet.gateway.handle(ctx)),
      capabilities: AGGREGATE_CAPABILITIES,
      sessionKey: 'stdio:test',
    });
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await mcp.server.connect(serverSide);
    const client = new Client({ name: 'stdio', version: '1' });
    await client.connect(clientSide);
    try {
      expect((await client.listTools()).tools.map((t) => t.name)).toEqual(['fx__echo']);
      expect((await client.callTool({ name: 'fx__echo', arguments: { text: 'local' } })).content).toEqual([{ type: 'text', text: 'local' }]);
      await expect(client.callTool({ name: 'fx__read_file', arguments: { path: '/x' } })).rejects.toThrow('Unknown tool "fx__read_file"');
    } finally {
      await client.close();
      await security.close();
    }
  });
});

describe('anonymous access', () => {
  it('is off by default, and with anonymous: true runs requests without credentials as "anonymous"', async () => {
    expect((await modern(outlet.url, 'tools/list')).status).toBe(401);
    const open = await startSecureOutlet(
      { servers: { fx: { command: process.execPath, args: [FIXTURE] } } },
      { auth: { ...SECTIONS.auth, anonymous: true, anonymousRoles: ['guest'] }, policies: SECTIONS.policies },
    );
    try {
      const anon = await modern(open.url, 'tools/list');
      expect(anon.status).toBe(200);
      expect((anon.json?.result as { tools: { name: string }[] }).tools.map((t) => t.name)).toEqual(['fx__admin_reset']);
      // A wrong credential is still refused: anonymous is for requests without any.
      expect((await modern(open.url, 'tools/list', {}, { token: 'wrong' })).status).toBe(401);
      expect((await modern(open.url, 'tools/list', {}, { token: KEYS.reader })).status).toBe(200);
    } finally {
      await open.close();
    }
  });
});

describe('what goes back to the client', () => {
  it('carries no secret from an upstream error', async () => {
    const c = await connectWith(`${outlet.url}/servers/fx/mcp`, KEYS.reader);
    try {
      // No policy covers resources here: denied, answered like a missing resource (no upstream call).
      await expect(c.readResource({ uri: 'note://nothing?token=SECRET-123456' })).rejects.toThrow(/Unknown resource/);
    } finally {
      await c.close();
    }
    const open = await startSecureOutlet({ servers: { fx: { command: process.execPath, args: [FIXTURE] } } }, { policies: [{ effect: 'deny', tools: ['none'] }] });
    try {
      const c2 = await connectWith(`${open.url}/servers/fx/mcp`, undefined);
      const err = (await c2.readResource({ uri: 'note://nothing?token=SECRET-123456&api_key=SECRET-abcdef' }).catch((e: unknown) => e)) as Error;
      // The upstream's own "not found" quotes the URI; the secrets in it do not reach the client.
      expect(err.message).toMatch(/note:\/\/nothing/);
      expect(err.message).not.toContain('SECRET');
      await c2.close();
    } finally {
      await open.close();
    }
  });
});

describe('reload', () => {
  it('swaps policies in place', async () => {
    const config = { namespace: { separator: '__' }, servers: { fx: { prefix: 'fx', enabled: true } } };
    const security = createPolicyLayer({ ...config, ...parseSecuritySections({ policies: [{ effect: 'deny', tools: ['fx__echo'] }] }) });
    const handle = compose(buildPolicyChain(security), () => Promise.resolve({ content: [] }));
    const ctx = () => ({
      method: 'tools/call',
      params: { name: 'fx__echo', arguments: {} },
      toolName: 'fx__echo',
      scope: { kind: 'aggregate' as const },
      session: { era: 'legacy' as const, transport: 'stdio' as const },
      signal: new AbortController().signal,
      state: new Map<string, unknown>(),
    });
    await expect(handle(ctx())).rejects.toThrow('Unknown tool "fx__echo"');
    security.reload({ ...config, ...parseSecuritySections({ policies: [{ effect: 'deny', tools: ['fx__other'] }] }) });
    await expect(handle(ctx())).resolves.toEqual({ content: [] });
    await security.close();
  });
});
