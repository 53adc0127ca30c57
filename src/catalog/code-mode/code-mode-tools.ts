import type { Tool } from '@modelcontextprotocol/server';

/** Hits search_tools returns when the caller gives no `limit`, and the most it may ask for. */
export const SEARCH_LIMIT = { default: 5, max: 20 } as const;

/**
 * Finds tools and answers with their TypeScript declarations (renderSearchResult). Written for a
 * model: what to send, what comes back, what to do next.
 */
export const SEARCH_TOOLS: Tool = deepFreeze({
  name: 'search_tools',
  description: 'Find tools by keywords. Answers with TypeScript declarations of the best matches, to call from execute_code. An empty query lists tools.',
  inputSchema: {
    type: 'object',
    properties: {
      query: { type: 'string', description: 'What you want to do, e.g. "create github issue"' },
      limit: { type: 'integer', minimum: 1, maximum: SEARCH_LIMIT.max, default: SEARCH_LIMIT.default },
    },
    required: ['query'],
  },
  annotations: { readOnlyHint: true },
});

/**
 * Runs a program that calls tools. The description states the contract the sandbox keeps: how a
 * call looks and what it returns, what the run returns, the session state, and that limits exist.
 */
export const EXECUTE_CODE: Tool = deepFreeze({
  name: 'execute_code',
  description:
    'Run a JavaScript program (async, may use await; TypeScript types allowed). Call tools found with search_tools as `await tools["name"](args)`: ' +
    "a call resolves to the tool's structuredContent if it has one, else its text; a tool error throws. " +
    'Returns the console.log output and the value of a top-level `return`. ' +
    '`await state.get(key)`, `state.set(key, value)`, `state.delete(key)` keep JSON values across runs in this session. ' +
    'Time, memory and tool calls per run are limited.',
  inputSchema: {
    type: 'object',
    properties: { code: { type: 'string', description: 'The program' } },
    required: ['code'],
  },
  annotations: { readOnlyHint: false, openWorldHint: true },
});

/** Both, in the order a tools/list shows them. */
export const CODE_MODE_TOOLS: readonly Tool[] = Object.freeze([SEARCH_TOOLS, EXECUTE_CODE]);

/** Frozen all the way down: these objects are shared by every session and list. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const item of Object.values(value)) deepFreeze(item);
    Object.freeze(value);
  }
  return value;
}
