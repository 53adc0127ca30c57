import type { InputLimitsConfig } from '../../config/auth-schema.js';
import type { Middleware } from '../call-context.js';
import type { Targets } from '../authz/request-access.js';
import type { ToolLookup } from '../pins/pins-policy.js';
import type { ArgumentValidator } from './argument-validator.js';
import { checkInputLimits } from './input-limits.js';

export interface ArgumentsDeps {
  validator: Pick<ArgumentValidator, 'check'>;
  tools: ToolLookup;
  targets: Pick<Targets, 'named'>;
}

/**
 * Content limits and a call's arguments against its tool's input schema. MCP over HTTP has had its
 * whole message checked against the content limits before it was parsed (where a 400 can still be
 * answered); every other way in is checked here.
 */
export function argumentsPolicy(limits: InputLimitsConfig, deps: ArgumentsDeps): Middleware {
  return async (ctx, next) => {
    if (ctx.session.transport !== 'streamable-http' && ctx.session.transport !== 'sse') checkInputLimits(ctx.params, limits);
    if (ctx.method === 'tools/call' && ctx.toolName !== undefined) {
      const t = deps.targets.named(ctx.scope, 'tool', ctx.toolName);
      const enabled = (t.server !== undefined ? limits.servers[t.server]?.validateArguments : undefined) ?? limits.validateArguments;
      const tool = await deps.tools(ctx, ctx.toolName);
      if (enabled && tool) deps.validator.check(ctx.toolName, tool.inputSchema as Record<string, unknown> | undefined, ctx.params.arguments);
    }
    return next();
  };
}
