import { describe, expect, it } from 'vitest';
import type { Tool } from '@modelcontextprotocol/server';
import type { CallContext } from '../call-context.js';
import { TargetResolver } from '../authz/targets.js';
import { pinsPolicy } from './pins-policy.js';

const targets = new TargetResolver({ catalog: () => undefined, separator: () => '__', prefixes: () => new Map([['fx', 'fx']]) });
const tools: Record<string, Tool> = {
  fx__good: { name: 'fx__good', inputSchema: { type: 'object' } },
  fx__changed: { name: 'fx__changed', inputSchema: { type: 'object' } },
};
const checked: string[] = [];
const pins = {
  check: (server: string, tool: { name: string }) => {
    checked.push(`${server}/${tool.name}`);
    return tool.name === 'changed' ? ('withhold' as const) : ('ok' as const);
  },
};
const deps = { pins, targets, tools: (_ctx: CallContext, name: string) => Promise.resolve(tools[name]) };
const ctx = (method: string, name?: string, scope: CallContext['scope'] = { kind: 'aggregate' }): CallContext => ({
  method,
  params: name ? { name } : {},
  ...(name ? { toolName: name } : {}),
  scope,
  session: { era: 'modern', transport: 'stdio' },
  signal: new AbortController().signal,
  state: new Map(),
});
const ok = () => Promise.resolve({ content: [] });

describe('pinsPolicy', () => {
  it('checks a call against the pin under the upstream name, and withholds a changed tool', async () => {
    const mw = pinsPolicy({ mode: 'enforce' }, deps);
    await expect(mw(ctx('tools/call', 'fx__good'), ok)).resolves.toEqual({ content: [] });
    expect(checked).toContain('fx/good');
    await expect(mw(ctx('tools/call', 'fx__changed'), ok)).rejects.toMatchObject({ code: 'TOOL_WITHHELD' });
  });

  it('refuses a per-server call to a tool it has not seen when pins are enforced', async () => {
    const scope = { kind: 'server', server: 'fx' } as const;
    await expect(pinsPolicy({ mode: 'enforce' }, deps)(ctx('tools/call', 'nope', scope), ok)).rejects.toMatchObject({ code: 'UNKNOWN_TOOL' });
    await expect(pinsPolicy({ mode: 'warn' }, deps)(ctx('tools/call', 'nope', scope), ok)).resolves.toEqual({ content: [] });
  });

  it('removes withheld tools from tools/list on the way out', async () => {
    const result = await pinsPolicy({ mode: 'enforce' }, deps)(ctx('tools/list'), () => Promise.resolve({ tools: Object.values(tools) }));
    expect((result as { tools: Tool[] }).tools.map((t) => t.name)).toEqual(['fx__good']);
  });
});
