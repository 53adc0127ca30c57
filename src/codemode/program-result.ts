import type { Result } from '@modelcontextprotocol/server';
import type { CodeModeConfig } from '../config/index.js';
import type { ScriptOutcome } from '../sandbox/script/script-types.js';

type Limits = CodeModeConfig['limits'];

/**
 * What execute_code answers: the program's return value as text (and as structuredContent when it
 * is JSON: an object as it is, anything else under `result`), then its console output. A program
 * that failed answers a tool error that says which way it failed and which bound it met, with the
 * console lines written until then: the model can read what went wrong and try again.
 */
export function programResult(outcome: ScriptOutcome, limits: Limits): Result {
  const console = outcome.console.length > 0 ? [{ type: 'text' as const, text: `console:\n${outcome.console.join('\n')}` }] : [];
  if (!outcome.ok) return { content: [{ type: 'text', text: failureText(outcome, limits) }, ...console], isError: true };
  const result: Result = { content: [{ type: 'text', text: outcome.text }, ...console] };
  if (outcome.json !== undefined && outcome.cut === undefined) {
    const value = JSON.parse(outcome.json) as unknown;
    result.structuredContent = isRecord(value) ? value : { result: value };
  }
  return result;
}

function failureText(outcome: Extract<ScriptOutcome, { ok: false }>, limits: Limits): string {
  const calls = outcome.toolCalls > 0 ? ` after ${outcome.toolCalls} tool call${outcome.toolCalls === 1 ? '' : 's'}` : '';
  switch (outcome.reason) {
    case 'thrown':
      if (outcome.errorName === 'ToolRefusedError') return `execute_code: a tool call was refused${calls}: ${outcome.message}`;
      return `execute_code: the program threw ${outcome.errorName ?? 'an error'}${calls}: ${outcome.message}`;
    case 'syntax':
      return `execute_code: the program does not parse: ${outcome.message}`;
    case 'timeout':
      return `execute_code: the program ran out of time${calls} (limit ${limits.wallMs} ms, codeMode.limits.wallMs)`;
    case 'memory':
      return `execute_code: the program ran out of memory${calls} (limit ${Math.round(limits.memoryBytes / 1048576)} MiB, codeMode.limits.memoryBytes)`;
    case 'stack':
      return `execute_code: the program overflowed its stack${calls}, too deep a recursion (limit ${Math.round(limits.stackBytes / 1024)} KiB, codeMode.limits.stackBytes)`;
    case 'tool-calls':
      return `execute_code: the program made more than ${limits.maxToolCalls} tool calls (codeMode.limits.maxToolCalls)`;
    case 'cancelled':
      return `execute_code: the program was cancelled${calls}: ${outcome.message}`;
    case 'busy':
      return 'execute_code: every program worker is busy and the queue is full; retry shortly';
    case 'crashed':
      return `execute_code: the program's worker failed${calls}: ${outcome.message}`;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
