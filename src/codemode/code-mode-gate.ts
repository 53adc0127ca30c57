import type { Result } from '@modelcontextprotocol/server';
import type { CodeModeKind, OutletConfig } from '../config/index.js';
import type { CallContext, Handler, RequestScope } from '../policy/call-context.js';
import type { CodeModeDeps, CodeModeService } from './code-mode-service.js';

/**
 * Code mode's place in the request path: between the policy chain and the router. A request code
 * mode has nothing to do with (any method but tools/list and tools/call, a plain endpoint, a
 * program's own inner call) goes straight to the router; the rest of code mode (search index,
 * program sandbox, tokenizer) loads the first time it is needed, so a plain gateway never loads it.
 */
export class CodeModeGate {
  private service: Promise<CodeModeService> | undefined;

  constructor(private readonly deps: CodeModeDeps) {}

  dispatch(ctx: CallContext, next: Handler): Promise<Result> {
    if (ctx.parent !== undefined || !codeModeApplies(this.deps.config(), ctx.scope, ctx.method)) return next(ctx);
    return this.load().then((service) => service.dispatch(ctx, next));
  }

  async close(): Promise<void> {
    const service = this.service;
    this.service = undefined;
    if (service) await (await service).close();
  }

  private load(): Promise<CodeModeService> {
    this.service ??= import('./code-mode-service.js').then(({ CodeModeService }) => new CodeModeService(this.deps));
    return this.service;
  }
}

/**
 * How the endpoint a request came in on presents tools: a server entry's own `codeMode` on its
 * `/servers/<name>/mcp`, else the gateway's. Servers an `/rpc` request describes inline are
 * always plain MCP: their caller sent the config and knows the tools.
 */
export function modeOf(config: OutletConfig, scope: RequestScope): CodeModeKind {
  if (scope.kind === 'server') {
    if (scope.inline) return 'mcp';
    return config.servers[scope.server]?.codeMode ?? config.codeMode.mode;
  }
  return config.codeMode.mode;
}

/** Whether code mode has anything to do with this request (false for nearly every request of a plain gateway). */
export function codeModeApplies(config: OutletConfig, scope: RequestScope, method: string): boolean {
  if (method !== 'tools/list' && method !== 'tools/call') return false;
  if (modeOf(config, scope) !== 'mcp') return true;
  return method === 'tools/list' ? config.codeMode.compactSchemas : config.codeMode.maxResultTokens !== undefined;
}
