import { describe, expect, it } from 'vitest';
import type { CallContext, Middleware } from '../../src/policy/call-context.js';
import { compose } from '../../src/policy/compose.js';
import { validateRequest } from '../../src/policy/limits/validate-names.js';

function ctx(over: Partial<CallContext> = {}): CallContext {
  return { method: 'tools/call', params: {}, scope: { kind: 'aggregate' }, session: { era: 'legacy', transport: 'stdio' }, signal: new AbortController().signal, state: new Map(), ...over };
}

describe('compose', () => {
  it('runs policies in order on the way in and in reverse on the way out', async () => {
    const seen: string[] = [];
    const tag = (name: string): Middleware => async (_c, next) => {
      seen.push(`in:${name}`);
      const r = await next();
      seen.push(`out:${name}`);
      return r;
    };
    const handler = compose([tag('a'), tag('b')], async () => {
      seen.push('router');
      return { ok: true };
    });
    expect(await handler(ctx())).toEqual({ ok: true });
    expect(seen).toEqual(['in:a', 'in:b', 'router', 'out:b', 'out:a']);
  });

  it('lets a policy answer without reaching the router', async () => {
    const handler = compose([async () => ({ cached: true })], async () => {
      throw new Error('router must not run');
    });
    expect(await handler(ctx())).toEqual({ cached: true });
  });

  it('fails loudly when a policy calls next() twice', async () => {
    const handler = compose([async (_c, next) => {
      await next();
      return next();
    }], async () => ({}));
    await expect(handler(ctx())).rejects.toThrow('next() more than once');
  });
});

describe('validateRequest', () => {
  const ok = compose([validateRequest], async () => ({ passed: true }));
  it('passes ordinary names', async () => {
    expect(await ok(ctx({ toolName: 'fs__read_file' }))).toEqual({ passed: true });
  });
  it.each([['a control character', 'fs__read\u0000'], ['a bidi override', 'fs__\u202eelif'], ['an empty name', '']])('refuses %s with the path', async (_l, name) => {
    await expect(ok(ctx({ toolName: name }))).rejects.toMatchObject({ code: 'INVALID_PARAMS', message: expect.stringContaining('params.name') });
  });
});
