import { describe, expect, it } from 'vitest';
import type { CallContext } from '../call-context.js';
import type { SecurityAudit } from './security-audit.js';
import { recordCall } from './call-audit.js';

describe('recordCall', () => {
  it('names the target by method, endpoint and access, with the decision of the event', () => {
    const records: Parameters<SecurityAudit['record']>[0][] = [];
    const ctx = { method: 'resources/read', scope: { kind: 'server', server: 'db' }, principal: { id: 'p', roles: [] } } as unknown as CallContext;
    recordCall({ record: (e) => records.push(e) }, { event: 'rate.limited', ctx, access: { kind: 'resource', uri: 'db://x', server: 'db' }, reason: 'slow down' });
    expect(records).toEqual([
      { event: 'rate.limited', principal: { id: 'p', roles: [] }, target: { method: 'resources/read', endpoint: 'db', server: 'db', uri: 'db://x' }, decision: 'limit', reason: 'slow down' },
    ]);
  });
});
