import type { Result, Tool } from '@modelcontextprotocol/server';
import type { PinningConfig } from '../../config/auth-schema.js';
import { OutletError } from '../../errors/index.js';
import type { CallContext, Middleware } from '../call-context.js';
import type { Targets } from '../authz/request-access.js';
import type { PinStore } from './pin-store.js';

/** A tool's definition as the catalog holds it on the request's endpoint. */
export type ToolLookup = (ctx: CallContext, name: string) => Promise<Tool | undefined>;

export interface PinsDeps {
  pins: Pick<PinStore, 'check'>;
  tools: ToolLookup;
  targets: Pick<Targets, 'named'>;
}

/**
 * Is this tool's definition the approved one: a changed (or never approved) tool is withheld for
 * everyone, its calls refused and its entry removed from `tools/list` on the way out.
 */
export function pinsPolicy(config: Pick<PinningConfig, 'mode'>, deps: PinsDeps): Middleware {
  const verdict = (ctx: CallContext, tool: Tool) => {
    const t = deps.targets.named(ctx.scope, 'tool', tool.name);
    return t.server === undefined ? 'ok' : deps.pins.check(t.server, { ...tool, name: t.name }, t.published);
  };
  return async (ctx, next) => {
    if (ctx.method === 'tools/call' && ctx.toolName !== undefined) {
      const tool = await deps.tools(ctx, ctx.toolName);
      // A per-server call goes to the upstream without the catalog: with pins enforced, a tool
      // whose definition the gateway has not seen cannot be checked, so it is not served.
      if (!tool && ctx.scope.kind === 'server' && config.mode === 'enforce') {
        throw new OutletError('UNKNOWN_TOOL', `Unknown tool "${ctx.toolName}"`, { tool: ctx.toolName });
      }
      if (tool && verdict(ctx, { ...tool, name: ctx.toolName }) === 'withhold') {
        throw new OutletError('TOOL_WITHHELD', `tool "${ctx.toolName}" is withheld: its definition changed since it was approved (or was never approved); an operator re-approves it with \`outlet pin\``, {
          tool: ctx.toolName,
        });
      }
      return next();
    }
    if (ctx.method !== 'tools/list') return next();
    const result = await next();
    const tools = (result as { tools?: unknown }).tools;
    if (!Array.isArray(tools)) return result;
    const kept = (tools as Tool[]).filter((tool) => verdict(ctx, tool) === 'ok');
    return kept.length === tools.length ? result : ({ ...result, tools: kept } as Result);
  };
}
