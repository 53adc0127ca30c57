import { describe, expect, it } from 'vitest';
import type { PolicyRule } from '../../src/config/auth-schema.js';
import { PolicyEngine } from '../../src/policy/authz/policy-engine.js';
import type { Principal } from '../../src/policy/call-context.js';

// rpc:inline (running servers an /rpc request describes) is granted only by an allow rule that
// names it: never by a rule without targets, nor by defaultDecision "allow".
const dev: Principal = { id: 'dev', roles: ['dev'], scopes: [], via: 'api-key' };
const inline = { kind: 'rpc', name: 'inline' } as const;

describe('the rpc:inline policy target', () => {
  it('is refused when no rule names it, whatever the default decision and the allow-all rules', () => {
    const rules: PolicyRule[] = [{ effect: 'allow', roles: ['dev'] }];
    expect(new PolicyEngine(rules, 'allow').decide(dev, inline)).toMatchObject({ effect: 'deny', reason: expect.stringContaining('no policy grants rpc:inline') });
    expect(new PolicyEngine([], 'allow').decide(dev, inline).effect).toBe('deny');
  });

  it('is granted by an allow rule naming it, and taken away by a deny rule without targets', () => {
    const grant: PolicyRule = { effect: 'allow', roles: ['dev'], rpc: ['inline'] };
    expect(new PolicyEngine([grant], 'deny').decide(dev, inline).effect).toBe('allow');
    expect(new PolicyEngine([grant, { effect: 'deny', principals: ['dev'] }], 'deny').decide(dev, inline).effect).toBe('deny');
    // A grant of rpc:inline is no grant of tools.
    expect(new PolicyEngine([grant], 'deny').decide(dev, { kind: 'tool', name: 'fs__read', server: 'fs' }).effect).toBe('deny');
  });

  it('lets the grant stand for the allow on an inline server\'s own targets, deny rules still applying', () => {
    const engine = new PolicyEngine([{ effect: 'deny', tools: ['*__exec'] }], 'deny');
    expect(engine.decide(dev, { kind: 'tool', name: 'rpc-0123456789abcdef__echo', server: 'rpc-0123456789abcdef', inline: true }).effect).toBe('allow');
    expect(engine.decide(dev, { kind: 'tool', name: 'rpc-0123456789abcdef__exec', server: 'rpc-0123456789abcdef', inline: true }).effect).toBe('deny');
  });
});
