import type { Tool } from '@modelcontextprotocol/server';
import { commentText } from './doc-text.js';
import { isObject } from './schema-keywords.js';
import { propertyKey, tsType, typeContext } from './ts-type.js';

/** Characters of a tool's description kept in its declaration. */
const TOOL_DOC_MAX = 1200;

/**
 * One member of the `interface Tools` a model reads in code mode: the tool's description as a
 * comment, its arguments typed from `inputSchema`, its result from `outputSchema` (what a call
 * returns when the tool has one) or `unknown`.
 *
 * @example
 * toolDeclaration({ name: 'fs__read_text_file', description: 'Read a file.', inputSchema: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] } });
 * // '  /** Read a file. *\/\n  fs__read_text_file(args: { path: string }): Promise<unknown>;'
 */
export function toolDeclaration(tool: Tool): string {
  const indent = '  ';
  const doc = commentText(tool.description ?? tool.title ?? '', TOOL_DOC_MAX);
  const input = tsType(tool.inputSchema, typeContext(tool.inputSchema), indent);
  const output = tool.outputSchema ? tsType(tool.outputSchema, typeContext(tool.outputSchema), indent) : 'unknown';
  // A tool without arguments can be called as tools["name"]().
  const optional = !hasArguments(tool.inputSchema) ? '?' : '';
  const signature = `${indent}${propertyKey(tool.name)}(args${optional}: ${input}): Promise<${output}>;`;
  return doc ? `${indent}/** ${doc} */\n${signature}` : signature;
}

function hasArguments(schema: unknown): boolean {
  if (!isObject(schema)) return true;
  const required = Array.isArray(schema.required) && schema.required.length > 0;
  const properties = isObject(schema.properties) && Object.keys(schema.properties).length > 0;
  const open = 'additionalProperties' in schema && schema.additionalProperties !== false;
  const composed = ['anyOf', 'oneOf', 'allOf', '$ref'].some((key) => key in schema);
  return required || properties || open || composed;
}

/**
 * What `search_tools` answers: one comment line saying how many tools matched and how to call
 * them, then their declarations as an `interface Tools`.
 *
 * @example
 * renderSearchResult(index.search('read file', { limit: 5 }).hits, 120, 'read file');
 * // '// 3 of 120 tools match "read file"; call one as await tools["name"](args)\ninterface Tools {\n...\n}'
 */
export function renderSearchResult(hits: ReadonlyArray<{ tool: Tool }>, total: number, query: string): string {
  const head = header(hits.length, total, query);
  if (hits.length === 0) return head;
  return `${head}\ninterface Tools {\n${hits.map((hit) => toolDeclaration(hit.tool)).join('\n')}\n}`;
}

function header(shown: number, total: number, query: string): string {
  const call = 'call one as await tools["name"](args)';
  const trimmed = query.trim();
  if (trimmed === '') return `// ${shown} of ${total} tools (no query: catalog order); ${call}`;
  // JSON.stringify escapes line breaks but not U+2028/9, which would end a line comment too.
  const flat = trimmed.replace(/\s+/g, ' ');
  const quoted = JSON.stringify(flat.length > 100 ? `${flat.slice(0, 99)}…` : flat).replace(/[\u2028\u2029]/g, ' ');
  if (shown === 0) return `// no tool matches ${quoted}; try other or fewer words, or an empty query to browse`;
  return `// ${shown} of ${total} tools match ${quoted}; ${call}`;
}
