import { describe, expect, it } from 'vitest';
import type { SecurityAudit } from '../audit/security-audit.js';
import type { CallContext } from '../call-context.js';
import { TargetResolver } from '../authz/targets.js';
import { MemoryRateLimitStore, RateLimiter } from './rate-limit.js';
import { rateLimitPolicy } from './rate-limit-policy.js';

const targets = new TargetResolver({ catalog: () => undefined, separator: () => '__', prefixes: () => new Map([['fx', 'fx']]) });
const ctx = (): CallContext => ({
  method: 'tools/call',
  params: { name: 'fx__echo' },
  toolName: 'fx__echo',
  scope: { kind: 'aggregate' },
  session: { era: 'legacy', transport: 'stdio' },
  principal: { id: 'p', roles: [] },
  signal: new AbortController().signal,
  state: new Map(),
});

describe('rateLimitPolicy', () => {
  it('draws one token per call and refuses with RATE_LIMITED and retryAfterSeconds when the bucket is empty', async () => {
    const limiter = new RateLimiter([{ per: ['principal'], capacity: 2, refillPerSecond: 0.5, methods: ['tools/call'] }], new MemoryRateLimitStore(), () => 1_000);
    const records: Parameters<SecurityAudit['record']>[0][] = [];
    const mw = rateLimitPolicy({ limiter, targets, audit: { record: (e) => records.push(e) } });
    const ok = () => Promise.resolve({ content: [] });
    await mw(ctx(), ok);
    await mw(ctx(), ok);
    await expect(mw(ctx(), ok)).rejects.toMatchObject({ code: 'RATE_LIMITED', data: { retryAfterSeconds: 2 } });
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ event: 'rate.limited', decision: 'limit', principal: { id: 'p' } });
  });

  it('keys a per-tool limit by the published name of the call', async () => {
    const subjects: unknown[] = [];
    const limiter = { take: (s: unknown) => (subjects.push(s), Promise.resolve({ ok: true as const })) };
    await rateLimitPolicy({ limiter, targets, audit: { record: () => undefined } })(ctx(), () => Promise.resolve({ content: [] }));
    expect(subjects[0]).toMatchObject({ method: 'tools/call', server: 'fx', target: 'fx__echo' });
  });
});
