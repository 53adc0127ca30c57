import type { Tool } from '@modelcontextprotocol/server';
import { isObject, type JsonObject } from './schema-keywords.js';
import { pointerOf, resolvePointer } from './schema-refs.js';

/**
 * Words of a name or a sentence: split at anything that is not a letter or digit (so `__`, `_`,
 * `-`, `.` and spaces) and at camelCase humps: `github__createIssue` -> github, create, Issue.
 */
export function words(text: string): string[] {
  return text
    .replace(/(\p{Ll}|\p{N})(\p{Lu})/gu, '$1 $2')
    .replace(/(\p{Lu}+)(\p{Lu}\p{Ll})/gu, '$1 $2')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length > 0);
}

/** Words too common in tool descriptions and queries to tell tools apart. */
const STOP_WORDS = new Set(
  'a also an and any are as at be been but by can do does for from has have if in into is it its may must of on only or our should so such than that the their them then there these they this those to use used using via was we were when which will with you your'.split(' '),
);

/**
 * One word as the index stores it and a query looks it up: lower case, without a plain English
 * inflection (files -> file, entities -> entity, creating -> creat), so the common forms of a
 * word meet; null for a stop word or a single character.
 */
export function term(word: string): string | null {
  const lower = word.toLowerCase();
  if (lower.length < 2 || STOP_WORDS.has(lower)) return null;
  return stem(lower);
}

function stem(w: string): string {
  if (w.length > 5 && w.endsWith('ies')) return `${w.slice(0, -3)}y`;
  if (w.length > 6 && w.endsWith('ing')) return w.slice(0, -3);
  if (w.length > 5 && w.endsWith('ed')) return w.slice(0, -2);
  if (w.length > 3 && w.endsWith('s') && !/(ss|us|is)$/.test(w)) return w.slice(0, -1);
  return w;
}

/** The text of one tool in each indexed field. */
export interface ToolDocument {
  id: number;
  name: string;
  title: string;
  description: string;
  /** Argument names, top level and one level down. */
  params: string;
  /** Their descriptions. */
  paramDocs: string;
}

export function toolDocument(tool: Tool, id: number): ToolDocument {
  const names: string[] = [];
  const docs: string[] = [];
  const root = tool.inputSchema;
  const visit = (properties: unknown, nested: boolean) => {
    if (!isObject(properties)) return;
    for (const [name, raw] of Object.entries(properties)) {
      const schema = deref(root, raw);
      names.push(name);
      if (typeof schema.description === 'string') docs.push(schema.description);
      if (nested) continue;
      visit(schema.properties, true);
      visit(deref(root, schema.items).properties, true);
    }
  };
  visit(root.properties, false);
  return {
    id,
    name: tool.name,
    title: tool.title ?? '',
    description: tool.description ?? '',
    params: names.join(' '),
    paramDocs: docs.join('\n'),
  };
}

/** A schema with one local `$ref` followed; `{}` for what is not a schema object. */
function deref(root: unknown, schema: unknown): JsonObject {
  if (isObject(schema) && typeof schema.$ref === 'string' && schema.$ref.startsWith('#')) {
    const target = resolvePointer(root, pointerOf(schema.$ref) ?? []);
    return isObject(target) ? target : {};
  }
  return isObject(schema) ? schema : {};
}
