import { describe, expect, it } from 'vitest';
import type { Tool } from '@modelcontextprotocol/server';
import { DEFAULT_INPUT_LIMITS } from '../../config/auth-schema.js';
import type { CallContext } from '../call-context.js';
import { TargetResolver } from '../authz/targets.js';
import { ArgumentValidator } from './argument-validator.js';
import { argumentsPolicy } from './arguments-policy.js';

const targets = new TargetResolver({ catalog: () => undefined, separator: () => '__', prefixes: () => new Map([['fx', 'fx']]) });
const echo: Tool = { name: 'fx__echo', inputSchema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] } };
const deps = { validator: new ArgumentValidator(), targets, tools: () => Promise.resolve(echo) };
const ctx = (args: unknown, transport: CallContext['session']['transport'] = 'stdio'): CallContext => ({
  method: 'tools/call',
  params: { name: 'fx__echo', arguments: args },
  toolName: 'fx__echo',
  scope: { kind: 'aggregate' },
  session: { era: 'legacy', transport },
  signal: new AbortController().signal,
  state: new Map(),
});
const ok = () => Promise.resolve({ content: [] });

describe('argumentsPolicy', () => {
  it('checks arguments against the tool input schema', async () => {
    const mw = argumentsPolicy(DEFAULT_INPUT_LIMITS, deps);
    await expect(mw(ctx({ text: 'hi' }), ok)).resolves.toEqual({ content: [] });
    await expect(mw(ctx({ text: 1 }), ok)).rejects.toMatchObject({ code: 'INVALID_PARAMS' });
  });

  it('leaves the arguments alone where validation is off for that server', async () => {
    const limits = { ...DEFAULT_INPUT_LIMITS, servers: { fx: { validateArguments: false } } };
    await expect(argumentsPolicy(limits, deps)(ctx({ text: 1 }), ok)).resolves.toEqual({ content: [] });
  });

  it('applies the content limits to requests that did not come over MCP HTTP (which checks the whole message first)', async () => {
    const limits = { ...DEFAULT_INPUT_LIMITS, maxStringLength: 12 };
    await expect(argumentsPolicy(limits, deps)(ctx({ text: 'much too long a text' }, 'stdio'), ok)).rejects.toThrow(/12/);
    await expect(argumentsPolicy({ ...limits, validateArguments: false }, deps)(ctx({ text: 'much too long a text' }, 'streamable-http'), ok)).resolves.toEqual({ content: [] });
  });
});
