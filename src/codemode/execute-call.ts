import type { Result } from '@modelcontextprotocol/server';
import type { CodeModeConfig } from '../config/index.js';
import { OutletError } from '../errors/index.js';
import type { CallContext, Handler } from '../policy/call-context.js';
import type { ScriptPool } from '../sandbox/script/script-pool.js';
import type { ScriptHost } from '../sandbox/script/script-types.js';
import { callFromProgram, visibleTools } from './inner-call.js';
import { programResult } from './program-result.js';
import type { ProgramStateStore } from './program-state.js';

/** The longest program text accepted, in characters (programs are short; the request body bound is the outer one). */
const MAX_CODE_LENGTH = 100_000;

export interface ProgramDeps {
  pool: ScriptPool;
  reenter: Handler;
  state: ProgramStateStore;
  config: CodeModeConfig;
}

/**
 * execute_code: runs the caller's program in the sandbox pool, with a `tools` function for each
 * tool the caller may see and each call made through the gateway's way in as the caller
 * (see inner-call.ts). The program's outcome, success or failure, is the tool's result.
 */
export async function runProgram(ctx: CallContext, deps: ProgramDeps): Promise<Result> {
  const code = codeArgument(ctx.params.arguments);
  const toolNames = (await visibleTools(deps.reenter, ctx)).map((tool) => tool.name);
  const host: ScriptHost = {
    callTool: (name, args, signal) => callFromProgram(deps.reenter, ctx, name, args, AbortSignal.any([ctx.signal, signal])),
    state: programState(ctx, deps),
  };
  const outcome = await deps.pool.run({ code, toolNames, limits: deps.config.limits, host, signal: ctx.signal });
  return programResult(outcome, deps.config.limits);
}

function codeArgument(args: unknown): string {
  const code = (typeof args === 'object' && args !== null ? (args as { code?: unknown }).code : undefined);
  if (typeof code !== 'string' || code.trim() === '') throw new OutletError('INVALID_PARAMS', 'execute_code: arguments.code must be the program text (the body of an async function)', { path: 'params.arguments.code' });
  if (code.length > MAX_CODE_LENGTH) throw new OutletError('INVALID_PARAMS', `execute_code: the program is ${code.length} characters, over the ${MAX_CODE_LENGTH} accepted`, { path: 'params.arguments.code' });
  return code;
}

/**
 * The `state` object of a program: keyed by the caller's session (a 2025-era session id, or the
 * stdio connection), and by principal, so two callers never share one. A caller without a session
 * (2026-07-28, REST, /rpc) has none to keep state in: each use says so.
 */
function programState(ctx: CallContext, deps: ProgramDeps): ScriptHost['state'] {
  const sessionId = ctx.session.id ?? (ctx.session.transport === 'stdio' ? ctx.channel?.sessionKey : undefined);
  const { maxBytesPerSession, ttlMs } = deps.config.state;
  if (sessionId === undefined || maxBytesPerSession === 0) {
    const why = maxBytesPerSession === 0 ? 'program state is off on this gateway (codeMode.state.maxBytesPerSession is 0)' : 'state lives in a session, and this caller has none (a 2026-07-28 or plain HTTP request); keep what you need in the program';
    const refuse = () => Promise.reject(new Error(why));
    return { get: refuse, set: refuse, delete: refuse };
  }
  const session = `${ctx.principal?.id ?? ''}\u0000${sessionId}`;
  return {
    get: (key) => deps.state.get(session, key),
    set: (key, value, ttl) => deps.state.set(session, key, value, Math.min(ttl ?? ttlMs, ttlMs)),
    delete: (key) => deps.state.delete(session, key),
  };
}
