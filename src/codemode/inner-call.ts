import type { Result, Tool } from '@modelcontextprotocol/server';
import { isOutletError } from '../errors/index.js';
import type { CallContext, Handler } from '../policy/call-context.js';
import { createCallContext } from '../protocol/call-context.js';

/**
 * A request made on behalf of `outer` (an execute_code or search_tools call): the same scope,
 * principal and session, and `parent` set so code mode serves it as plain MCP and tracing makes
 * it a child span. It runs through the gateway's whole way in (call gate, every policy, router),
 * so authorization, pins, rate limits, argument checks, audit and traces see it like a direct call.
 *
 * The way back to the client is passed on only for a 2025-era session, where an upstream's
 * sampling or elicitation request can reach it mid-call; a 2026-07-28 caller answers those with
 * input_required rounds (SEP-2322), which a program cannot take part in.
 */
export function innerContext(outer: CallContext, method: string, params: Record<string, unknown>, signal: AbortSignal): CallContext {
  const ctx = createCallContext(method, params, {
    scope: outer.scope,
    session: outer.session,
    principal: outer.principal,
    signal,
    channel: outer.session.era === 'legacy' ? outer.channel : undefined,
    envelope: outer.envelope,
    state: new Map(),
  });
  return { ...ctx, parent: outer };
}

/** The tools `outer`'s caller may see, as the chain lists them to it (denied and withheld ones filtered out). */
export async function visibleTools(reenter: Handler, outer: CallContext): Promise<Tool[]> {
  const result = await reenter(innerContext(outer, 'tools/list', {}, outer.signal));
  return Array.isArray(result.tools) ? (result.tools as Tool[]) : [];
}

/** An error a program sees, with the name it can tell cases apart by (`err.name`). */
export function programError(name: 'ToolError' | 'ToolRefusedError', message: string): Error {
  const err = new Error(message);
  err.name = name;
  return err;
}

/**
 * One tool call from a program. What the program gets back: the result's `structuredContent`
 * when it has one, else its text (one text block: that string; several: joined by newlines),
 * else its content blocks. A result with `isError` throws ToolError; a call the gateway refused
 * (unknown or denied tool, rate limit, invalid arguments, upstream down) throws ToolRefusedError;
 * both name the tool.
 */
export async function callFromProgram(reenter: Handler, outer: CallContext, name: string, args: unknown, signal: AbortSignal): Promise<unknown> {
  const params = { name, arguments: args === undefined ? {} : args };
  let result: Result;
  try {
    result = await reenter(innerContext(outer, 'tools/call', params, signal));
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    const code = isOutletError(err) ? ` (${err.code})` : '';
    throw programError('ToolRefusedError', `tools[${JSON.stringify(name)}] was refused${code}: ${reason}`);
  }
  if (result.resultType === 'input_required') {
    throw programError('ToolError', `tools[${JSON.stringify(name)}] asked the client for input, which a program cannot give; call it directly instead`);
  }
  if (result.isError === true) throw programError('ToolError', `tools[${JSON.stringify(name)}] failed: ${textOf(result) || 'no message'}`);
  if (result.structuredContent !== undefined) return result.structuredContent;
  const content = Array.isArray(result.content) ? (result.content as { type?: unknown; text?: unknown }[]) : [];
  if (content.length > 0 && content.every((block) => block.type === 'text' && typeof block.text === 'string')) return content.map((block) => block.text).join('\n');
  return content;
}

/** The text blocks of a result, joined. */
export function textOf(result: Result): string {
  const content = Array.isArray(result.content) ? (result.content as { type?: unknown; text?: unknown }[]) : [];
  return content
    .filter((block) => block.type === 'text' && typeof block.text === 'string')
    .map((block) => block.text as string)
    .join('\n');
}
