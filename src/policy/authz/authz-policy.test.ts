import { describe, expect, it } from 'vitest';
import type { SecurityAudit } from '../audit/security-audit.js';
import type { CallContext } from '../call-context.js';
import { authzPolicy } from './authz-policy.js';
import { PolicyEngine } from './policy-engine.js';
import { TargetResolver } from './targets.js';
import { parseSecuritySections } from '../../config/auth-schema.js';

const targets = new TargetResolver({ catalog: () => undefined, separator: () => '__', prefixes: () => new Map([['fx', 'fx']]) });
const engine = new PolicyEngine(
  parseSecuritySections({
    policies: [
      { effect: 'allow', roles: ['user'], tools: ['fx__echo'] },
      { effect: 'allow', roles: ['user'], tools: ['fx__admin'], scopes: ['mcp:admin'] },
    ],
  }).policies!,
  'deny',
);
const ctx = (method: string, params: Record<string, unknown>): CallContext => ({
  method,
  params,
  ...(method === 'tools/call' ? { toolName: params.name as string } : {}),
  scope: { kind: 'aggregate' },
  session: { era: 'modern', transport: 'streamable-http' },
  principal: { id: 'u', roles: ['user'], scopes: [] },
  signal: new AbortController().signal,
  state: new Map(),
});

function policy(auditAllowed = false) {
  const records: Parameters<SecurityAudit['record']>[0][] = [];
  return { records, mw: authzPolicy({ auditAllowed }, { engine, targets, audit: { record: (e) => records.push(e) } }) };
}

describe('authzPolicy', () => {
  it('lets an allowed call through, and audits it only when asked to', async () => {
    const quiet = policy();
    await expect(quiet.mw(ctx('tools/call', { name: 'fx__echo' }), () => Promise.resolve({ content: [] }))).resolves.toEqual({ content: [] });
    expect(quiet.records).toEqual([]);
    const loud = policy(true);
    await loud.mw(ctx('tools/call', { name: 'fx__echo' }), () => Promise.resolve({ content: [] }));
    expect(loud.records[0]).toMatchObject({ event: 'authz.allow', target: { tool: 'fx__echo', server: 'fx', endpoint: 'aggregate' }, rule: 'policies[0]' });
  });

  it('answers a denied call exactly like an unknown tool, and audits the denial', async () => {
    const { mw, records } = policy();
    await expect(mw(ctx('tools/call', { name: 'fx__secret' }), () => Promise.resolve({ content: [] }))).rejects.toMatchObject({ code: 'UNKNOWN_TOOL', message: 'Unknown tool "fx__secret"' });
    expect(records[0]).toMatchObject({ event: 'authz.deny', decision: 'deny', target: { method: 'tools/call', tool: 'fx__secret' } });
  });

  it('refuses with INSUFFICIENT_SCOPE and the scopes needed when a rule needs more scope', async () => {
    const { mw } = policy();
    await expect(mw(ctx('tools/call', { name: 'fx__admin' }), () => Promise.resolve({ content: [] }))).rejects.toMatchObject({ code: 'INSUFFICIENT_SCOPE', data: { scopes: ['mcp:admin'] } });
  });

  it('removes denied entries from lists on the way out', async () => {
    const { mw } = policy();
    const result = await mw(ctx('tools/list', {}), () => Promise.resolve({ tools: [{ name: 'fx__echo' }, { name: 'fx__secret' }, { name: 'fx__admin' }] }));
    expect((result as { tools: { name: string }[] }).tools.map((t) => t.name)).toEqual(['fx__echo', 'fx__admin']);
  });
});
