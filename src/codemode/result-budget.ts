import type { Result } from '@modelcontextprotocol/server';
import { countTokens, truncateToTokens } from '../shared/token-count.js';

export interface BudgetOutcome {
  result: Result;
  /** Tokens of the result as the tool returned it. */
  tokens: number;
  action?: 'cut' | 'refused';
}

type Block = { type?: unknown; text?: unknown };

/**
 * The per-request token budget (`codeMode.maxResultTokens`): a tool result larger than `max`
 * o200k tokens is cut or refused before it reaches the caller's context. Cutting keeps the
 * content blocks in order up to the budget (a text block cut inside, at a token boundary) and
 * says how much went; a result with `structuredContent` is refused instead, because a cut JSON
 * value is no longer the value its output schema promises.
 */
export async function applyResultBudget(result: Result, max: number, overBudget: 'cut' | 'refuse', tool: string): Promise<BudgetOutcome> {
  const content = Array.isArray(result.content) ? (result.content as Block[]) : [];
  const sizes = await Promise.all(content.map((block) => countTokens(blockText(block))));
  const structured = result.structuredContent === undefined ? 0 : await countTokens(JSON.stringify(result.structuredContent));
  const tokens = sizes.reduce((a, b) => a + b, 0) + structured;
  if (tokens <= max) return { result, tokens };
  if (overBudget === 'refuse' || result.structuredContent !== undefined) {
    const text = `the result of ${tool} is ${tokens} tokens, over this endpoint's budget of ${max} (codeMode.maxResultTokens); ask for less (a narrower query, a smaller page)`;
    return { result: { content: [{ type: 'text', text }], isError: true }, tokens, action: 'refused' };
  }
  const kept: Block[] = [];
  let left = max;
  for (const [i, block] of content.entries()) {
    const size = sizes[i]!;
    if (size <= left) {
      kept.push(block);
      left -= size;
    } else if (block.type === 'text' && typeof block.text === 'string' && left > 0) {
      kept.push({ ...block, text: await truncateToTokens(block.text, left) });
      left = 0;
    }
    if (left === 0) break;
  }
  kept.push({ type: 'text', text: `[cut: the result was ${tokens} tokens; ${max - left} are shown (codeMode.maxResultTokens = ${max})]` });
  return { result: { ...result, content: kept }, tokens, action: 'cut' };
}

function blockText(block: Block): string {
  return block.type === 'text' && typeof block.text === 'string' ? block.text : JSON.stringify(block);
}
