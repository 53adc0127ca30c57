import type { Tool } from '@modelcontextprotocol/server';

type Annotations = NonNullable<Tool['annotations']>;

/** The value each behaviour hint has when a tool leaves it out (spec: schema, ToolAnnotations). */
const HINT_DEFAULTS: Readonly<Record<string, boolean>> = { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true };
/** Hints the spec says are meaningful only when readOnlyHint is false. */
const WRITE_HINTS = new Set(['destructiveHint', 'idempotentHint']);

/**
 * A tool's annotations without what says nothing a client would not assume anyway: a hint set to
 * its default, the write hints of a read-only tool (which the spec gives no meaning), and an
 * annotation title that repeats the tool's own. Also drops `execution.taskSupport: "forbidden"`,
 * the default of a tool that says nothing about tasks (2025-11-25). Returns the same object when
 * nothing goes.
 */
export function compactToolAnnotations(tool: Tool): Tool {
  const annotations = tool.annotations ? leanAnnotations(tool.annotations, tool.title) : undefined;
  const execution = tool.execution && (tool.execution as { taskSupport?: unknown }).taskSupport === 'forbidden' && Object.keys(tool.execution).length === 1 ? undefined : tool.execution;
  if (annotations === tool.annotations && execution === tool.execution) return tool;
  const { annotations: _a, execution: _e, ...rest } = tool;
  return { ...rest, ...(annotations ? { annotations } : {}), ...(execution ? { execution } : {}) } as Tool;
}

function leanAnnotations(annotations: Annotations, toolTitle: string | undefined): Annotations | undefined {
  const readOnly = annotations.readOnlyHint === true;
  const kept = Object.entries(annotations).filter(([key, value]) => {
    if (key === 'title') return value !== toolTitle;
    if (readOnly && WRITE_HINTS.has(key)) return false;
    return !(key in HINT_DEFAULTS) || value !== HINT_DEFAULTS[key];
  });
  if (kept.length === Object.keys(annotations).length) return annotations;
  return kept.length === 0 ? undefined : (Object.fromEntries(kept) as Annotations);
}
