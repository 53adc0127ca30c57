import type { Tool } from '@modelcontextprotocol/server';
import { compactToolSchemas } from '../catalog/code-mode/schema-compaction.js';
import { CODE_MODE_TOOLS } from '../catalog/code-mode/code-mode-tools.js';
import { toolsListTokens } from '../shared/token-count.js';
import type { ToolLists } from './tool-lists.js';

/** One list measured: its tools, and o200k tokens of its `tools/list` result as sent and with compacted schemas. */
export interface TokenRow {
  name: string;
  tools: number;
  plainTokens: number;
  compactTokens: number;
  /** (plain - compact) / plain, in percent with one decimal; 0 for an empty list. */
  savingPercent: number;
}

/** What `outlet tokens` prints, as a table or (`--json`) as it is. */
export interface TokensReport {
  /** Each server's own list (`/servers/<name>/mcp`, own names), by server name. */
  servers: TokenRow[];
  /** The rows added up. */
  total: TokenRow;
  /** The aggregate endpoint's one list (`/mcp`, namespaced names): what a client of it is sent. */
  aggregate: TokenRow;
  /** The code-mode list (its two tools) against the aggregate's plain list. */
  codeMode: { tools: number; tokens: number; ratio: number };
  /** Servers that did not come up, one line each. */
  down: string[];
  note?: string;
}

/** Measures every list with the o200k tokenizer; compaction is `compactToolSchemas` on each tool. */
export async function measureTokenLists(lists: ToolLists): Promise<TokensReport> {
  const servers: TokenRow[] = [];
  for (const { server, tools } of lists.servers) servers.push(await measure(server, tools));
  const sum = (key: 'tools' | 'plainTokens' | 'compactTokens') => servers.reduce((n, row) => n + row[key], 0);
  const total = row('total', sum('tools'), sum('plainTokens'), sum('compactTokens'));
  const aggregate = await measure('/mcp', lists.aggregate);
  const codeTokens = await toolsListTokens(CODE_MODE_TOOLS);
  const codeMode = { tools: CODE_MODE_TOOLS.length, tokens: codeTokens, ratio: round(aggregate.plainTokens / codeTokens, 1) };
  return { servers, total, aggregate, codeMode, down: lists.down, ...(lists.note ? { note: lists.note } : {}) };
}

async function measure(name: string, tools: readonly Tool[]): Promise<TokenRow> {
  return row(name, tools.length, await toolsListTokens(tools), await toolsListTokens(tools.map(compactToolSchemas)));
}

function row(name: string, tools: number, plainTokens: number, compactTokens: number): TokenRow {
  const savingPercent = plainTokens === 0 ? 0 : round(((plainTokens - compactTokens) / plainTokens) * 100, 1);
  return { name, tools, plainTokens, compactTokens, savingPercent };
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
