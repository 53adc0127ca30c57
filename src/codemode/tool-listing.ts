import type { Result, Tool } from '@modelcontextprotocol/server';
import type { CodeModeConfig, CodeModeKind } from '../config/index.js';
import type { CallContext, Handler } from '../policy/call-context.js';
import { CODE_MODE_TOOLS } from '../catalog/code-mode/code-mode-tools.js';
import { compactToolSchemas } from '../catalog/code-mode/schema-compaction.js';
import { matchName } from '../policy/glob.js';

/** Compacted lists, by the list they were made from (the catalog shares tool objects until its lists change). */
const compacted = new WeakMap<Tool, Tool>();

/**
 * tools/list in the endpoint's mode. `mcp`: the catalog's list, schemas compacted when
 * `compactSchemas` is on. `code`: the two code-mode tools alone. `hybrid`: those two, then the
 * catalog's tools that `pinned` names. The policy chain filters the answer on its way out as for
 * any list, so a caller denied execute_code does not see it either.
 */
export async function listTools(ctx: CallContext, next: Handler, mode: CodeModeKind, config: CodeModeConfig): Promise<Result> {
  if (mode === 'code') return { tools: [...CODE_MODE_TOOLS] };
  const result = await next(ctx);
  const tools = Array.isArray(result.tools) ? (result.tools as Tool[]) : [];
  const shown = mode === 'hybrid' ? tools.filter((tool) => matchName(config.pinned, tool.name)) : tools;
  const listed = config.compactSchemas ? shown.map(compact) : shown;
  return { ...result, tools: mode === 'hybrid' ? [...CODE_MODE_TOOLS, ...listed] : listed };
}

function compact(tool: Tool): Tool {
  let small = compacted.get(tool);
  if (!small) {
    small = compactToolSchemas(tool);
    compacted.set(tool, small);
  }
  return small;
}
