import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE, startSecureOutlet, type SecureOutlet } from '../security/harness.js';
import { sha256 } from '../security/keys.js';
import { callTool, failed, getJson } from './helpers.js';

// The REST surface under auth: the same API keys, policies and rate limits as MCP callers, applied
// per tool by the policy chain. REST callers need no admin role; the operator endpoints still do.
const KEYS = { reader: 'rest-key-reader-123456', admin: 'rest-key-admin-1234567', limited: 'rest-key-limited-12345' };
let outlet: SecureOutlet;

beforeAll(async () => {
  outlet = await startSecureOutlet(
    { servers: { fx: { command: process.execPath, args: [FIXTURE] } } },
    {
      auth: {
        apiKeys: [
          { sha256: sha256(KEYS.reader), principal: 'rita', roles: ['reader'] },
          { sha256: sha256(KEYS.admin), principal: 'ada', roles: ['admin'] },
          { sha256: sha256(KEYS.limited), principal: 'lee', roles: ['limited'] },
        ],
        adminRoles: ['admin'],
      },
      policies: [
        { effect: 'allow', roles: ['reader'], tools: ['fx__read_*', 'fx__echo'] },
        { effect: 'allow', roles: ['limited'], tools: ['fx__echo'] },
        { effect: 'allow', roles: ['admin'], scopes: ['mcp:admin'] },
      ],
      rateLimits: [{ per: ['principal'], roles: ['limited'], capacity: 2, refillPerSecond: 0.001 }],
    },
  );
});

afterAll(async () => {
  await outlet?.close();
});

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
const names = (tools: Array<{ name: string }>) => tools.map((t) => t.name).sort();

describe('authentication', () => {
  it('refuses every REST route without credentials (401 with a bearer challenge)', async () => {
    for (const res of [
      await fetch(`${outlet.url}/api/tools`),
      await fetch(`${outlet.url}/api/tools/fx__echo`, { method: 'POST', body: '{"text":"hi"}' }),
      await fetch(`${outlet.url}/openapi.json`),
      await fetch(`${outlet.url}/api/tools`, { headers: bearer('not-a-key-at-all-000') }),
    ]) {
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer /);
    }
  });
});

describe('a principal denied a tool by policy', () => {
  it('does not see it in GET /api/tools, though it needs no admin role to list', async () => {
    const { status, body } = await getJson<{ tools: Array<{ name: string; server: string }> }>(outlet.url, '/api/tools', bearer(KEYS.reader));
    expect(status).toBe(200);
    expect(names(body.tools)).toEqual(['fx__echo', 'fx__read_file']);
    expect(body.tools.every((t) => t.server === 'fx')).toBe(true);
  });

  it('gets 404 UNKNOWN_TOOL on POST, exactly like a tool that does not exist', async () => {
    const denied = await callTool(outlet.url, 'fx__admin_reset', {}, bearer(KEYS.reader));
    const missing = await callTool(outlet.url, 'fx__no_such_tool', {}, bearer(KEYS.reader));
    expect(denied.status).toBe(404);
    expect(denied.body).toMatchObject({ ...failed('UNKNOWN_TOOL'), error: 'Unknown tool "fx__admin_reset"' });
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ ...failed('UNKNOWN_TOOL'), error: 'Unknown tool "fx__no_such_tool"' });
    expect(Object.keys(denied.body).sort()).toEqual(Object.keys(missing.body).sort());
  });

  it('may call what it is allowed to', async () => {
    const answer = await callTool(outlet.url, 'fx__read_file', { path: '/data/a.txt' }, bearer(KEYS.reader));
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ success: true, result: { content: [{ type: 'text', text: 'read /data/a.txt' }] } });
  });

  it('sees only its own tools in /openapi.json, a valid 3.1 document declaring bearer auth', async () => {
    const { status, body } = await getJson<Record<string, any>>(outlet.url, '/openapi.json', bearer(KEYS.reader)); // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(status).toBe(200);
    expect(Object.keys(body.paths).sort()).toEqual(['/api/tools', '/api/tools/fx__echo', '/api/tools/fx__read_file']);
    expect(body.components.securitySchemes).toEqual({ bearer: expect.objectContaining({ type: 'http', scheme: 'bearer' }) });
    expect(body.security).toEqual([{ bearer: [] }]);
    expect(body.paths['/api/tools/fx__echo'].post.responses['401']).toEqual({ $ref: '#/components/responses/Unauthenticated' });
    const result = await new Validator().validate(body);
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
  });
});

describe('what the chain adds on top', () => {
  it('a policy that needs a scope the credential lacks: 403 INSUFFICIENT_SCOPE', async () => {
    const answer = await callTool(outlet.url, 'fx__admin_reset', {}, bearer(KEYS.admin));
    expect(answer.status).toBe(403);
    expect(answer.body).toMatchObject({ ...failed('INSUFFICIENT_SCOPE'), data: { scopes: ['mcp:admin'] } });
  });

  it('a rate limit: 429 RATE_LIMITED with Retry-After', async () => {
    for (let i = 0; i < 2; i++) expect((await callTool(outlet.url, 'fx__echo', { text: `call ${i}` }, bearer(KEYS.limited))).status).toBe(200);
    const limited = await callTool(outlet.url, 'fx__echo', { text: 'one too many' }, bearer(KEYS.limited));
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject(failed('RATE_LIMITED'));
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('leaves the operator endpoints to admins: a caller of REST tools is refused /api/servers/<n>/logs', async () => {
    expect((await fetch(`${outlet.url}/api/servers/fx/logs`, { headers: bearer(KEYS.reader) })).status).toBe(403);
    expect((await fetch(`${outlet.url}/api/servers/fx/logs`, { headers: bearer(KEYS.admin) })).status).toBe(200);
  });
});
