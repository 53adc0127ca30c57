import { describe, expect, it } from 'vitest';
import type { CallContext } from '../call-context.js';
import { authnPolicy } from './authn-policy.js';

const ctx = (transport: CallContext['session']['transport'], principal?: CallContext['principal']): CallContext => ({
  method: 'tools/call',
  params: {},
  scope: { kind: 'aggregate' },
  session: { era: 'legacy', transport },
  signal: new AbortController().signal,
  state: new Map(),
  ...(principal ? { principal } : {}),
});
const next = () => Promise.resolve({ content: [] });
const auth = { stdio: { principal: 'local', roles: ['admin'] }, anonymous: false, anonymousRoles: ['guest'] };

describe('authnPolicy', () => {
  it('keeps the principal the HTTP layer authenticated', async () => {
    const c = ctx('streamable-http', { id: 'alice', roles: ['user'] });
    await authnPolicy(auth)(c, next);
    expect(c.principal?.id).toBe('alice');
  });

  it('gives stdio its configured principal, or the anonymous one without auth', async () => {
    const c = ctx('stdio');
    await authnPolicy(auth)(c, next);
    expect(c.principal).toMatchObject({ id: 'local', roles: ['admin'], via: 'stdio' });
    const d = ctx('stdio');
    await authnPolicy(undefined)(d, next);
    expect(d.principal).toMatchObject({ id: 'anonymous', via: 'anonymous' });
  });

  it('refuses a request without credentials when auth is on and anonymous access is not', async () => {
    await expect(async () => authnPolicy(auth)(ctx('rest'), next)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    const c = ctx('rest');
    await authnPolicy({ ...auth, anonymous: true })(c, next);
    expect(c.principal).toMatchObject({ id: 'anonymous', roles: ['guest'] });
  });
});
