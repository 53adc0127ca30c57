import { describe, expect, it } from 'vitest';
import { parseSecuritySections } from '../../src/config/auth-schema.js';
import { PolicyEngine, type AccessRequest } from '../../src/policy/authz/policy-engine.js';
import { ResourceMetadata } from '../../src/policy/authn/resource-metadata.js';
import { createPolicyLayer } from '../../src/policy/policy-layer.js';
import { SecurityAudit, type SecurityEvent } from '../../src/policy/audit/security-audit.js';
import { Redactor, REDACTED } from '../../src/shared/redact.js';
import type { Principal } from '../../src/policy/call-context.js';

const rules = (policies: unknown[]) => parseSecuritySections({ policies }).policies!;
const who = (id: string, roles: string[], extra: Partial<Principal> = {}): Principal => ({ id, roles, ...extra });
const tool = (name: string, server = name.split('__')[0], args?: Record<string, unknown>): AccessRequest => ({ kind: 'tool', name, ...(server ? { server } : {}), ...(args ? { arguments: args } : {}) });

describe('PolicyEngine', () => {
  it('matches roles, principals, claims, servers and name globs', () => {
    const engine = new PolicyEngine(
      rules([
        { effect: 'allow', roles: ['reader'], tools: ['fs__read_*', 'time__*'] },
        { effect: 'allow', principals: ['ci-*'], servers: ['build'] },
        { effect: 'allow', claims: { tenant: 'acme', groups: ['ops'] }, tools: ['ops__*'] },
      ]),
      'deny',
    );
    expect(engine.decide(who('a', ['reader']), tool('fs__read_file')).effect).toBe('allow');
    expect(engine.decide(who('a', ['reader']), tool('fs__write_file')).effect).toBe('deny');
    expect(engine.decide(who('a', ['reader']), tool('time__now')).effect).toBe('allow');
    expect(engine.decide(who('ci-bot', []), tool('build__run')).effect).toBe('allow');
    expect(engine.decide(who('ci-bot', []), { kind: 'prompt', name: 'build__p', server: 'build' }).effect).toBe('allow');
    expect(engine.decide(who('dev', []), tool('build__run')).effect).toBe('deny');
    expect(engine.decide(who('o', [], { claims: { tenant: 'acme', groups: ['dev', 'ops'] } }), tool('ops__restart')).effect).toBe('allow');
    expect(engine.decide(who('o', [], { claims: { tenant: 'other', groups: ['ops'] } }), tool('ops__restart')).effect).toBe('deny');
  });

  it('lets deny win, and a "*" in a deny glob crosses slashes', () => {
    const engine = new PolicyEngine(rules([{ effect: 'allow', tools: ['*'] }, { effect: 'deny', tools: ['fs__write_*'] }]), 'deny');
    expect(engine.decide(who('a', []), tool('fs__write_file')).effect).toBe('deny');
    expect(engine.decide(who('a', []), tool('fs__write_a/b')).effect).toBe('deny');
    expect(engine.decide(who('a', []), tool('fs__read')).effect).toBe('allow');
  });

  it('decides lists without arguments: conditional allows show, conditional denies do not hide', () => {
    const engine = new PolicyEngine(
      rules([
        { effect: 'allow', tools: ['fs__write'], arguments: { path: { glob: ['/data/**'] } } },
        { effect: 'deny', tools: ['fs__write'], arguments: { path: { glob: ['/data/secret/**'] } } },
      ]),
      'deny',
    );
    expect(engine.decide(who('a', []), tool('fs__write')).effect).toBe('allow');
    expect(engine.decide(who('a', []), tool('fs__write', 'fs', { path: '/data/x' })).effect).toBe('allow');
    expect(engine.decide(who('a', []), tool('fs__write', 'fs', { path: '/data/secret/x' })).effect).toBe('deny');
    expect(engine.decide(who('a', []), tool('fs__write', 'fs', { path: '/data/../etc' })).effect).toBe('deny');
    expect(engine.decide(who('a', []), tool('fs__write', 'fs', { path: 7 })).effect).toBe('deny');
  });

  it('checks equals, pattern, absent and nested argument paths, never the prototype chain', () => {
    const engine = new PolicyEngine(
      rules([{ effect: 'allow', tools: ['t__x'], arguments: { 'opts.mode': { equals: ['ro'] }, name: { pattern: '[a-z]+' }, force: { absent: true } } }]),
      'deny',
    );
    expect(engine.decide(who('a', []), tool('t__x', 't', { opts: { mode: 'ro' }, name: 'abc' })).effect).toBe('allow');
    expect(engine.decide(who('a', []), tool('t__x', 't', { opts: { mode: 'rw' }, name: 'abc' })).effect).toBe('deny');
    expect(engine.decide(who('a', []), tool('t__x', 't', { opts: { mode: 'ro' }, name: 'abc1' })).effect).toBe('deny');
    expect(engine.decide(who('a', []), tool('t__x', 't', { opts: { mode: 'ro' }, name: 'abc', force: true })).effect).toBe('deny');
    const proto = new PolicyEngine(rules([{ effect: 'allow', tools: ['t__x'], arguments: { constructor: { absent: false } } }]), 'deny');
    expect(proto.decide(who('a', []), tool('t__x', 't', {})).effect).toBe('deny');
  });

  it('answers insufficient_scope when only the scope is missing', () => {
    const engine = new PolicyEngine(rules([{ effect: 'allow', roles: ['admin'], scopes: ['mcp:admin'] }]), 'deny');
    expect(engine.decide(who('a', ['admin']), tool('x__y'))).toEqual({ effect: 'insufficient_scope', rule: 0, scopes: ['mcp:admin'] });
    expect(engine.decide(who('a', ['admin'], { scopes: ['mcp:admin'] }), tool('x__y')).effect).toBe('allow');
    expect(engine.decide(who('a', ['user']), tool('x__y')).effect).toBe('deny');
  });

  it('applies a rule naming some kinds only to those kinds', () => {
    const engine = new PolicyEngine(rules([{ effect: 'allow', tools: ['*'] }]), 'deny');
    expect(engine.decide(who('a', []), { kind: 'prompt', name: 'p__q' }).effect).toBe('deny');
    expect(engine.decide(who('a', []), { kind: 'resource', uri: 'file:///x' }).effect).toBe('deny');
  });

  it('refuses scopes on deny rules in the config', () => {
    expect(() => rules([{ effect: 'deny', scopes: ['x'] }])).toThrow(/scopes only make sense on an allow rule/);
  });
});

describe('config validation', () => {
  it('accepts the documented shape', () => {
    const sections = parseSecuritySections({
      auth: {
        resource: 'https://outlet.example.com/mcp',
        authorizationServers: ['https://idp.example.com'],
        apiKeys: [{ sha256: 'a'.repeat(64), principal: 'ci-bot', roles: ['reader'] }],
        jwt: { issuer: 'https://idp.example.com', audience: 'https://outlet.example.com/mcp', jwksUri: 'https://idp.example.com/.well-known/jwks.json', rolesClaim: 'roles' },
        anonymous: false,
      },
      policies: [{ effect: 'allow', roles: ['reader'], tools: ['fs__read_*', 'time__*'] }],
      rateLimits: [{ per: ['principal', 'tool'], capacity: 10, refillPerSecond: 1 }],
      inputLimits: { maxDepth: 32, servers: { fs: { validateArguments: false } } },
      pinning: { lockFile: 'outlet.lock.json' },
      audit: { file: 'audit.jsonl' },
    });
    expect(sections.auth?.defaultDecision).toBe('deny');
    expect(sections.auth?.publicPaths).toEqual(['/health']);
    expect(sections.auth?.jwt?.algorithms).toEqual(['RS256', 'PS256', 'ES256', 'EdDSA']);
    expect(sections.pinning).toMatchObject({ mode: 'enforce', unpinned: 'pin' });
    expect(sections.pinning?.lockFile.startsWith('/')).toBe(true);
    expect(sections.inputLimits).toMatchObject({ maxDepth: 32, maxStringLength: 1_048_576, validateArguments: true });
  });

  it('never lets "none" or HS256 be configured, and wants one key source', () => {
    const base = { resource: 'https://o.example/mcp', authorizationServers: ['https://idp.example'] };
    expect(() => parseSecuritySections({ auth: { ...base, jwt: { jwksUri: 'https://idp.example/jwks', algorithms: ['none'] } } })).toThrow();
    expect(() => parseSecuritySections({ auth: { ...base, jwt: { jwksUri: 'https://idp.example/jwks', algorithms: ['HS256'] } } })).toThrow();
    expect(() => parseSecuritySections({ auth: { ...base, jwt: {} } })).toThrow(/exactly one of jwksUri and jwksFile/);
    expect(() => parseSecuritySections({ auth: { jwt: { jwksUri: 'https://idp.example/jwks' } } })).toThrow(/needs auth.resource/);
    expect(() => parseSecuritySections({ auth: { apiKeys: [{ sha256: 'not-hex', principal: 'x' }] } })).toThrow(/sha256/);
  });

  it('refuses a JWKS over plain http off loopback', () => {
    const sections = parseSecuritySections({ auth: { resource: 'https://o.example/mcp', authorizationServers: ['https://idp.example'], jwt: { jwksUri: 'http://idp.example/jwks' } } });
    expect(() => createPolicyLayer({ namespace: { separator: '__' }, servers: {}, ...sections })).toThrow(/https/);
  });
});

describe('ResourceMetadata', () => {
  const auth = (resource: string) => parseSecuritySections({ auth: { resource, authorizationServers: ['https://idp.example.com'] } }).auth!;

  it('maps paths to resources and metadata URLs', () => {
    const m = new ResourceMetadata(auth('https://outlet.example.com/mcp'));
    expect(m.resourceFor('/mcp')).toBe('https://outlet.example.com/mcp');
    expect(m.resourceFor('/api/reload')).toBe('https://outlet.example.com/mcp');
    expect(m.resourceFor('/servers/fs/mcp')).toBe('https://outlet.example.com/servers/fs/mcp');
    expect(m.resourceFor('/servers/fs/messages')).toBe('https://outlet.example.com/servers/fs/sse');
    expect(m.metadataUrlFor('/mcp')).toBe('https://outlet.example.com/.well-known/oauth-protected-resource/mcp');
    expect(m.audiencesFor('/servers/fs/mcp')).toEqual(expect.arrayContaining(['https://outlet.example.com/mcp', 'https://outlet.example.com/servers/fs/mcp']));
  });

  it('covers every path when the resource is the origin', () => {
    const m = new ResourceMetadata(auth('https://outlet.example.com/'));
    expect(m.resourceFor('/servers/fs/mcp')).toBe('https://outlet.example.com/');
    expect(m.metadataUrlFor('/servers/fs/mcp')).toBe('https://outlet.example.com/.well-known/oauth-protected-resource');
  });

  it('refuses an authorization server over plain http off loopback (the SDK check)', () => {
    expect(() => new ResourceMetadata(parseSecuritySections({ auth: { resource: 'https://o.example/mcp', authorizationServers: ['http://idp.example.com'] } }).auth!)).toThrow(/HTTPS/);
  });

  it('answers only GET, HEAD and the CORS preflight', () => {
    const m = new ResourceMetadata(auth('https://outlet.example.com/mcp'));
    const at = (method: string) => m.response(new Request('http://127.0.0.1/.well-known/oauth-protected-resource/mcp', { method }))!;
    expect(at('GET').status).toBe(200);
    expect(at('HEAD').status).toBe(200);
    expect(at('OPTIONS').status).toBe(204);
    expect(at('POST').status).toBe(405);
    expect(m.response(new Request('http://127.0.0.1/.well-known/oauth-protected-resource/elsewhere'))).toBeUndefined();
  });
});

describe('redaction of security events (the one Redactor, shared with observability)', () => {
  const recorded = (event: Parameters<SecurityAudit['record']>[0]): SecurityEvent => {
    const events: SecurityEvent[] = [];
    new SecurityAudit(undefined, undefined, (e) => events.push(e)).record(event);
    return events[0]!;
  };

  it('removes secrets by key and by shape', () => {
    const out = new Redactor().redactValue({
      headers: { Authorization: 'Bearer abc.def', 'x-api-key': 'k', accept: 'json' },
      env: { GITHUB_TOKEN: 'ghp_x', HOME: '/root' },
      url: 'https://user:pw@host/x?token=abc&a=1',
      message: 'upstream said: invalid token eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjM0NSJ9.c2lnbmF0dXJlLXBhcnQ for Bearer sk-live-1234567890',
      list: [{ password: 'p' }],
    });
    expect(out).toEqual({
      headers: { Authorization: REDACTED, 'x-api-key': REDACTED, accept: 'json' },
      env: { GITHUB_TOKEN: REDACTED, HOME: '/root' },
      url: `https://user:${REDACTED}@host/x?token=${REDACTED}&a=1`,
      message: `upstream said: invalid token ${REDACTED} for ${REDACTED}`,
      list: [{ password: REDACTED }],
    });
  });

  it('scrubs known secret values', () => {
    expect(new Redactor().redactString('the key is s3cr3t-value!', ['s3cr3t-value'])).toBe(`the key is ${REDACTED}!`);
  });

  it('applies to every audit record, and leaves the outlet\'s own reasons readable', () => {
    const event = recorded({
      event: 'input.rejected',
      principal: null,
      target: { path: '/mcp', uri: 'https://u:hunter22@db.example/x?api_key=abcdef' },
      decision: 'deny',
      reason: 'upstream echoed Authorization: Bearer abcdefghijklmnop',
    });
    expect(JSON.stringify(event)).not.toMatch(/hunter22|abcdef|abcdefghijklmnop/);
    expect(event.target.uri).toBe(`https://u:${REDACTED}@db.example/x?api_key=${REDACTED}`);
    // The authenticator words failures "description (code)": nothing in them looks like a secret.
    expect(recorded({ event: 'auth.failure', principal: null, target: { path: '/mcp' }, decision: 'deny', reason: 'token has expired (invalid_token)' }).reason).toBe('token has expired (invalid_token)');
  });
});

describe('an outlet with no security sections', () => {
  it('is inert: no credentials asked, no metadata served, policies pass through', async () => {
    const security = createPolicyLayer({ namespace: { separator: '__' }, servers: {} });
    expect(security.active).toBe(false);
    expect(security.http.authEnabled).toBe(false);
    expect(security.http.metadataResponse(new Request('http://127.0.0.1/.well-known/oauth-protected-resource'))).toBeUndefined();
    expect(await security.http.authenticate(new Request('http://127.0.0.1/mcp'))).toEqual({ ok: true });
    await security.close();
  });
});
