import type { Result } from '@modelcontextprotocol/server';
import type { Catalog } from '../catalog/index.js';
import type { CodeModeKind, OutletConfig } from '../config/index.js';
import { OutletError } from '../errors/index.js';
import type { CallContext, Handler } from '../policy/call-context.js';
import { EXECUTE_CODE, SEARCH_TOOLS } from '../catalog/code-mode/code-mode-tools.js';

const SEARCH = SEARCH_TOOLS.name;
const EXECUTE = EXECUTE_CODE.name;
import { ScriptPool } from '../sandbox/script/script-pool.js';
import { runProgram } from './execute-call.js';
import { listTools } from './tool-listing.js';
import { modeOf } from './code-mode-gate.js';
import { MemoryProgramState } from './program-state.js';
import { applyResultBudget } from './result-budget.js';
import { searchCatalog } from './search-call.js';
import { reportTokens } from './token-report.js';
import { matchName } from '../policy/glob.js';

export interface CodeModeDeps {
  config: () => OutletConfig;
  catalog: () => Catalog;
  /** The gateway's way in (call gate, policy chain, code mode, router): each call a program makes goes through it. */
  reenter: () => Handler;
  /** The gateway, as `owner` of what code mode publishes (two gateways in one process count their own). */
  owner: object;
}

/**
 * Code mode for the requests it applies to (see CodeModeGate): tools/list in the endpoint's mode,
 * the two code-mode tools, the pinned tools of hybrid mode, schema compaction and the result
 * token budget. Holds the program workers and the session state for programs.
 */
export class CodeModeService {
  private pool: ScriptPool | undefined;
  private readonly state: MemoryProgramState;

  constructor(private readonly deps: CodeModeDeps) {
    this.state = new MemoryProgramState(() => this.deps.config().codeMode.state.maxBytesPerSession);
  }

  async dispatch(ctx: CallContext, next: Handler): Promise<Result> {
    const config = this.deps.config();
    const mode = modeOf(config, ctx.scope);
    if (ctx.method === 'tools/list') {
      const result = await listTools(ctx, next, mode, config.codeMode);
      reportTokens({ owner: this.deps.owner, mode, kind: 'list' }, result);
      return result;
    }
    const name = ctx.toolName ?? '';
    const result = await this.call(ctx, next, mode, config, name);
    return this.withinBudget(result, mode, config, name);
  }

  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = undefined;
    await pool?.close();
  }

  private async call(ctx: CallContext, next: Handler, mode: CodeModeKind, config: OutletConfig, name: string): Promise<Result> {
    if (mode !== 'mcp' && name === SEARCH) {
      const result = await searchCatalog(ctx, this.deps.catalog, this.deps.reenter());
      reportTokens({ owner: this.deps.owner, mode, kind: 'search' }, result);
      return result;
    }
    if (mode !== 'mcp' && name === EXECUTE) {
      this.pool ??= new ScriptPool({ ...(config.codeMode.workers !== undefined ? { workers: config.codeMode.workers } : {}), maxQueued: config.codeMode.maxQueued });
      return runProgram(ctx, { pool: this.pool, reenter: this.deps.reenter(), state: this.state, config: config.codeMode });
    }
    if (mode === 'code' || (mode === 'hybrid' && !matchName(config.codeMode.pinned, name))) {
      // Only what tools/list showed is callable directly; the rest is reached from execute_code.
      throw new OutletError('UNKNOWN_TOOL', `Unknown tool "${name}": this endpoint serves tools through code mode; find it with ${SEARCH} and call it from ${EXECUTE}`, { tool: name });
    }
    return next(ctx);
  }

  private async withinBudget(result: Result, mode: CodeModeKind, config: OutletConfig, tool: string): Promise<Result> {
    const max = config.codeMode.maxResultTokens;
    if (max === undefined) {
      reportTokens({ owner: this.deps.owner, mode, kind: 'result' }, result.content);
      return result;
    }
    const budgeted = await applyResultBudget(result, max, config.codeMode.overBudget, tool);
    reportTokens({ owner: this.deps.owner, mode, kind: 'result', ...(budgeted.action ? { budget: budgeted.action } : {}) }, undefined, budgeted.tokens);
    return budgeted.result;
  }
}
