import type { Result } from '@modelcontextprotocol/server';
import type { CallContext, Handler } from '../policy/call-context.js';
import { codeModeApplies } from './mode-of.js';
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
