import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE, startSecureOutlet, type SecureOutlet } from './harness.js';
import { connectWith, modern, parseChallenge } from './http.js';
import { JwksServer, makeKey, sha256, sign, tamper, unsignedToken, withPayload, type SigningKey } from './keys.js';

// Authentication on every inbound path: API keys (sha256 in config), JWTs against a JWKS served
// on loopback, the OAuth protected-resource behaviour (RFC 9728 metadata, RFC 6750 challenges,
// RFC 8707 audience binding).
const RESOURCE = 'https://outlet.example.com/mcp';
const ISSUER = 'https://idp.example.com';
const API_KEY = 'ok-ci-bot-key-0123456789';

let jwks: JwksServer;
let k1: SigningKey;
let k2: SigningKey;
let outlet: SecureOutlet;
const dir = mkdtempSync(join(tmpdir(), 'outlet-authn-'));

const claims = (over: Record<string, unknown> = {}) => ({ iss: ISSUER, aud: RESOURCE, sub: 'alice', roles: ['reader'], scope: 'mcp:tools', ...over });

beforeAll(async () => {
  jwks = await new JwksServer().start();
  k1 = await makeKey('k1');
  k2 = await makeKey('k2', 'ES256');
  jwks.keys = [k1.publicJwk];
  outlet = await startSecureOutlet(
    { servers: { fx: { command: process.execPath, args: [FIXTURE] } } },
    {
      auth: {
        resource: RESOURCE,
        authorizationServers: [ISSUER],
        scopesSupported: ['mcp:tools', 'mcp:admin'],
        apiKeys: [{ sha256: sha256(API_KEY), principal: 'ci-bot', roles: ['reader'] }],
        jwt: { jwksUri: jwks.url, rolesClaim: 'roles', algorithms: ['RS256', 'ES256'], jwksCooldownMs: 0 },
        publicPaths: ['/health'],
      },
      policies: [{ effect: 'allow', roles: ['reader', 'admin'] }],
      audit: { file: join(dir, 'audit.jsonl') },
    },
  );
});

afterAll(async () => {
  await outlet?.close();
  await jwks?.stop();
});

const listTools = (token?: string, path = '/mcp') => modern(outlet.url, 'tools/list', {}, { ...(token ? { token } : {}), path });

function expectInvalidToken(answer: { status: number; headers: Headers; json?: Record<string, unknown> }, description?: RegExp) {
  expect(answer.status).toBe(401);
  const challenge = parseChallenge(answer.headers.get('www-authenticate'));
  expect(challenge.scheme).toBe('Bearer');
  expect(challenge.params.error).toBe('invalid_token');
  expect(challenge.params.resource_metadata).toBe('https://outlet.example.com/.well-known/oauth-protected-resource/mcp');
  expect(answer.json?.error).toBe('invalid_token');
  if (description) expect(String(answer.json?.error_description)).toMatch(description);
}

describe('API keys', () => {
  it('accepts the right key', async () => {
    const answer = await listTools(API_KEY);
    expect(answer.status).toBe(200);
    expect((answer.json?.result as { tools: unknown[] }).tools.length).toBeGreaterThan(0);
  });

  it('refuses a wrong key, and a key that differs in one character', async () => {
    expectInvalidToken(await listTools('wrong-key'), /unknown API key/);
    expectInvalidToken(await listTools(`${API_KEY.slice(0, -1)}X`));
  });

  it('refuses the stored hash used as a key (the config never holds a usable key)', async () => {
    expectInvalidToken(await listTools(sha256(API_KEY)));
  });

  it('works for an SDK client session (2025-11-25) and a 2026 client', async () => {
    for (const era of ['2025-11-25', '2026-07-28'] as const) {
      const client = await connectWith(`${outlet.url}/mcp`, API_KEY, era);
      expect((await client.listTools()).tools.map((t) => t.name)).toContain('fx__read_file');
      await client.close();
    }
  });
});

describe('JWT bearer tokens', () => {
  it('accepts a valid token', async () => {
    expect((await listTools(await sign(k1, claims()))).status).toBe(200);
  });

  it('refuses an expired token', async () => {
    const now = Math.floor(Date.now() / 1000);
    expectInvalidToken(await listTools(await sign(k1, claims({ exp: now - 120, iat: now - 3600 }))), /expired/);
  });

  it('refuses a token not valid yet (nbf)', async () => {
    expectInvalidToken(await listTools(await sign(k1, claims({ nbf: Math.floor(Date.now() / 1000) + 600 }))), /not valid yet/);
  });

  it('refuses a token from the wrong issuer', async () => {
    expectInvalidToken(await listTools(await sign(k1, claims({ iss: 'https://evil.example.com' }))), /"iss"/);
  });

  it('refuses a token for another audience (RFC 8707 binding to the outlet resource)', async () => {
    expectInvalidToken(await listTools(await sign(k1, claims({ aud: 'https://other.example.com/mcp' }))), /"aud"/);
    expectInvalidToken(await listTools(await sign(k1, claims({ aud: undefined }))));
  });

  it('refuses a token without exp', async () => {
    const { SignJWT } = await import('jose');
    const token = await new SignJWT(claims()).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).sign(k1.privateKey);
    expectInvalidToken(await listTools(token));
  });

  it('refuses alg "none"', async () => {
    expectInvalidToken(await listTools(unsignedToken({ ...claims(), exp: Math.floor(Date.now() / 1000) + 600 })));
  });

  it('refuses a tampered signature and a payload swapped under a valid signature', async () => {
    const token = await sign(k1, claims());
    expectInvalidToken(await listTools(tamper(token)), /signature/);
    expectInvalidToken(await listTools(withPayload(token, { ...claims(), sub: 'root', roles: ['admin'], exp: Math.floor(Date.now() / 1000) + 600 })), /signature/);
  });

  it('refuses an HS256 token signed with the public key as secret (algorithm confusion)', async () => {
    const { SignJWT } = await import('jose');
    const secret = new TextEncoder().encode(JSON.stringify(k1.publicJwk));
    const token = await new SignJWT({ ...claims() }).setProtectedHeader({ alg: 'HS256', kid: 'k1' }).setExpirationTime('1h').sign(secret);
    expectInvalidToken(await listTools(token), /algorithm/);
  });

  it('fetches the key set again for an unknown kid (rotation), then accepts the new key', async () => {
    const before = jwks.fetches;
    const token = await sign(k2, claims());
    expectInvalidToken(await listTools(token), /kid/);
    expect(jwks.fetches).toBeGreaterThan(before);
    jwks.keys = [k1.publicJwk, k2.publicJwk];
    expect((await listTools(token)).status).toBe(200);
    // Cached: a second request does not fetch again.
    const after = jwks.fetches;
    expect((await listTools(await sign(k2, claims()))).status).toBe(200);
    expect(jwks.fetches).toBe(after);
  });
});

describe('the OAuth protected-resource behaviour (MCP authorization, RFC 9728, RFC 6750)', () => {
  it('answers a request without credentials 401 with a challenge naming the metadata', async () => {
    const answer = await listTools();
    expect(answer.status).toBe(401);
    const challenge = parseChallenge(answer.headers.get('www-authenticate'));
    expect(challenge.scheme).toBe('Bearer');
    expect(challenge.params.resource_metadata).toBe('https://outlet.example.com/.well-known/oauth-protected-resource/mcp');
    // RFC 6750 3.1: no error code when the request had no credentials at all.
    expect(challenge.params.error).toBeUndefined();
  });

  it('serves the RFC 9728 document at the path-suffixed and the root well-known URLs', async () => {
    for (const path of ['/.well-known/oauth-protected-resource/mcp', '/.well-known/oauth-protected-resource']) {
      const res = await fetch(`${outlet.url}${path}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/application\/json/);
      const doc = (await res.json()) as Record<string, unknown>;
      // RFC 9728 section 2: resource is REQUIRED and equals the protected resource's identifier;
      // MCP requires authorization_servers with at least one issuer.
      expect(doc.resource).toBe(RESOURCE);
      expect(doc.authorization_servers).toEqual([ISSUER]);
      expect(doc.bearer_methods_supported).toEqual(['header']);
      expect(doc.scopes_supported).toEqual(['mcp:tools', 'mcp:admin']);
    }
  });

  it('gives a per-server endpoint its own resource and document (clients need the resource to prefix their URL)', async () => {
    const answer = await listTools(undefined, '/servers/fx/mcp');
    const challenge = parseChallenge(answer.headers.get('www-authenticate'));
    expect(challenge.params.resource_metadata).toBe('https://outlet.example.com/.well-known/oauth-protected-resource/servers/fx/mcp');
    const doc = (await (await fetch(`${outlet.url}/.well-known/oauth-protected-resource/servers/fx/mcp`)).json()) as Record<string, unknown>;
    expect(doc.resource).toBe('https://outlet.example.com/servers/fx/mcp');
    // A token for that endpoint's resource works there, and not on the aggregate.
    const token = await sign(k1, claims({ aud: 'https://outlet.example.com/servers/fx/mcp' }));
    expect((await listTools(token, '/servers/fx/mcp')).status).toBe(200);
    expectInvalidToken(await listTools(token, '/mcp'));
    // And the outlet-wide token works everywhere.
    expect((await listTools(await sign(k1, claims()), '/servers/fx/mcp')).status).toBe(200);
  });

  it('protects every path but the public ones', async () => {
    expect((await fetch(`${outlet.url}/health`)).status).toBe(200);
    for (const [method, path] of [
      ['GET', '/ready'],
      ['GET', '/sse'],
      ['POST', '/messages?sessionId=x'],
      ['GET', '/servers/fx/sse'],
      ['POST', '/api/reload'],
      ['GET', '/api/servers/fx/logs'],
      ['GET', '/metrics'],
    ] as const) {
      const res = await fetch(`${outlet.url}${path}`, { method });
      await res.text();
      expect(res.status, `${method} ${path}`).toBe(401);
      expect(res.headers.get('www-authenticate'), path).toMatch(/^Bearer /);
    }
  });

  it('keeps /api/* for the admin roles', async () => {
    const res = await fetch(`${outlet.url}/api/servers/fx/logs`, { headers: { authorization: `Bearer ${API_KEY}` } });
    expect(res.status).toBe(403);
    const admin = await fetch(`${outlet.url}/api/servers/fx/logs`, { headers: { authorization: `Bearer ${await sign(k1, claims({ roles: ['admin'] }))}` } });
    expect(admin.status).toBe(200);
  });

  it('records authentication failures in the audit file, without the credential', async () => {
    await listTools('a-secret-wrong-key');
    await new Promise((r) => setTimeout(r, 100));
    const records = outlet.auditRecords().filter((r) => r.event === 'auth.failure');
    expect(records.length).toBeGreaterThan(0);
    expect(records[0]).toMatchObject({ decision: 'deny', principal: null, target: { path: '/mcp' } });
    expect(JSON.stringify(outlet.auditRecords())).not.toContain('a-secret-wrong-key');
    expect(JSON.stringify(outlet.auditRecords())).not.toContain(API_KEY);
  });
});

describe('a JWKS file', () => {
  it('is read, and re-read when a token names a key it does not have', async () => {
    const file = join(dir, 'jwks.json');
    writeFileSync(file, JSON.stringify({ keys: [k1.publicJwk] }));
    const local = await startSecureOutlet(
      { servers: { fx: { command: process.execPath, args: [FIXTURE] } } },
      { auth: { resource: RESOURCE, authorizationServers: [ISSUER], jwt: { jwksFile: file, jwksCooldownMs: 0, algorithms: ['RS256', 'ES256'] } } },
    );
    try {
      expect((await modern(local.url, 'tools/list', {}, { token: await sign(k1, claims()) })).status).toBe(200);
      const rotated = await sign(k2, claims());
      expect((await modern(local.url, 'tools/list', {}, { token: rotated })).status).toBe(401);
      writeFileSync(file, JSON.stringify({ keys: [k1.publicJwk, k2.publicJwk] }));
      expect((await modern(local.url, 'tools/list', {}, { token: rotated })).status).toBe(200);
    } finally {
      await local.close();
    }
  });
});
