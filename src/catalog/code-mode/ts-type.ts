import { commentText } from './doc-text.js';
import { isObject, type JsonObject } from './schema-keywords.js';
import { pointerOf, resolvePointer } from './schema-refs.js';

/** Bounds that keep a hostile schema's declaration small and its rendering quick. */
export const TYPE_LIMITS = {
  /** Object and array nesting rendered before `unknown`. */
  depth: 6,
  /** `$ref`s followed one inside another before `unknown` (a recursive one stops at once). */
  refs: 4,
  properties: 40,
  /** Members of an enum, or branches of anyOf/oneOf/allOf. */
  members: 16,
  /** A `const` or enum value longer than this (as JSON) is shown as its JSON type. */
  literal: 120,
  /** Characters one property's comment may take. */
  doc: 240,
  /** Characters of type text one declaration may produce before the rest is `unknown`. */
  chars: 6000,
  /** Subschemas one declaration visits (unions of unions add no text but do take time). */
  nodes: 2000,
} as const;

/** A rendered type and its top-level operator, so a caller knows when to parenthesise it. */
interface Rendered {
  text: string;
  op?: '|' | '&';
}

/** One rendering: the document `$ref`s resolve in, and what has been spent so far. */
export interface TypeContext {
  root: unknown;
  refs: string[];
  path: object[];
  chars: number;
  nodes: number;
}

const UNKNOWN: Rendered = { text: 'unknown' };

export function typeContext(root: unknown): TypeContext {
  return { root, refs: [], path: [], chars: 0, nodes: 0 };
}

/** `name` as a property key: bare when it is an identifier, else a JSON string literal. */
export function propertyKey(name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? name : JSON.stringify(name);
}

/**
 * The TypeScript type of a JSON Schema, for a model to read: `indent` is the indentation of the
 * line the type starts on. Every bound of TYPE_LIMITS turns what is past it into `unknown` or a
 * `/* … N more *\/` marker, so the text stays small whatever the schema holds.
 *
 * @example
 * tsType({ type: 'array', items: { enum: ['a', 'b'] } }, typeContext(schema), ''); // '("a" | "b")[]'
 */
export function tsType(schema: unknown, ctx: TypeContext, indent: string): string {
  return render(schema, ctx, indent, 0).text;
}

function render(schema: unknown, ctx: TypeContext, indent: string, depth: number): Rendered {
  if (schema === false) return { text: 'never' };
  if (!isObject(schema) || depth > TYPE_LIMITS.depth || ctx.path.includes(schema)) return UNKNOWN;
  if (++ctx.nodes > TYPE_LIMITS.nodes || ctx.chars > TYPE_LIMITS.chars) return UNKNOWN;
  ctx.path.push(schema);
  try {
    const out = renderObject(schema, ctx, indent, depth);
    return schema.nullable === true && out !== UNKNOWN ? union([out, { text: 'null' }]) : out;
  } finally {
    ctx.path.pop();
  }
}

function renderObject(schema: JsonObject, ctx: TypeContext, indent: string, depth: number): Rendered {
  if (typeof schema.$ref === 'string') return renderRef(schema.$ref, ctx, indent, depth);
  if ('const' in schema) return literal(schema.const, ctx);
  if (Array.isArray(schema.enum)) return literals(schema.enum, ctx);
  const parts: Rendered[] = [];
  const base = baseType(schema, ctx, indent, depth);
  if (base) parts.push(base);
  for (const key of ['anyOf', 'oneOf'] as const) {
    const branches = schema[key];
    if (Array.isArray(branches)) parts.push(union(capped(branches).map((b) => render(b, ctx, indent, depth + 1))));
  }
  if (Array.isArray(schema.allOf)) parts.push(...capped(schema.allOf).map((b) => render(b, ctx, indent, depth + 1)));
  return intersection(parts);
}

function renderRef(ref: string, ctx: TypeContext, indent: string, depth: number): Rendered {
  const path = ref.startsWith('#') ? pointerOf(ref) : undefined;
  if (!path || ctx.refs.includes(ref) || ctx.refs.length >= TYPE_LIMITS.refs) return UNKNOWN;
  ctx.refs.push(ref);
  try {
    return render(resolvePointer(ctx.root, path), ctx, indent, depth);
  } finally {
    ctx.refs.pop();
  }
}

function baseType(schema: JsonObject, ctx: TypeContext, indent: string, depth: number): Rendered | undefined {
  let types = Array.isArray(schema.type) ? schema.type.filter((t): t is string => typeof t === 'string') : typeof schema.type === 'string' ? [schema.type] : [];
  if (types.length === 0 && (isObject(schema.properties) || isObject(schema.additionalProperties))) types = ['object'];
  if (types.length === 0 && 'items' in schema) types = ['array'];
  if (types.length === 0) return undefined;
  return union(types.map((type) => {
    if (type === 'integer' || type === 'number') return { text: 'number' };
    if (type === 'string' || type === 'boolean' || type === 'null') return { text: type };
    if (type === 'array') return arrayType(schema, ctx, indent, depth);
    if (type === 'object') return objectType(schema, ctx, indent, depth);
    return UNKNOWN;
  }));
}

function arrayType(schema: JsonObject, ctx: TypeContext, indent: string, depth: number): Rendered {
  const tuple = Array.isArray(schema.prefixItems) ? schema.prefixItems : Array.isArray(schema.items) ? schema.items : undefined;
  if (tuple) {
    const rest = schema.items === false || schema.additionalItems === false ? '' : ', ...unknown[]';
    return { text: `[${capped(tuple).map((s) => render(s, ctx, indent, depth + 1).text).join(', ')}${rest}]` };
  }
  const item = render(schema.items, ctx, indent, depth + 1);
  return { text: item.op ? `(${item.text})[]` : `${item.text}[]` };
}

function objectType(schema: JsonObject, ctx: TypeContext, indent: string, depth: number): Rendered {
  const properties = isObject(schema.properties) ? Object.entries(schema.properties) : [];
  const required = new Set(Array.isArray(schema.required) ? schema.required : []);
  const extra = [schema.additionalProperties, ...(isObject(schema.patternProperties) ? Object.values(schema.patternProperties) : [])].filter((s) => s !== undefined && s !== false);
  const index = extra.length > 0 ? union(extra.map((s) => render(s, ctx, indent, depth + 1))) : undefined;
  const record = index && { text: `Record<string, ${index.text}>` };
  // `properties: {}` as written (a tool without arguments) reads best as `{}`.
  if (properties.length === 0) return record ?? { text: schema.additionalProperties === false || isObject(schema.properties) ? '{}' : 'Record<string, unknown>' };
  const inner = `${indent}  `;
  const members: string[] = [];
  for (const [name, sub] of properties) {
    if (members.length >= TYPE_LIMITS.properties || ctx.chars > TYPE_LIMITS.chars) break;
    const doc = propertyDoc(sub);
    // Counted once here, as the output grows, rather than again in every enclosing type.
    ctx.chars += inner.length + doc.length + name.length + 12;
    members.push(`${doc ? `/** ${doc} */ ` : ''}${propertyKey(name)}${required.has(name) ? '' : '?'}: ${render(sub, ctx, inner, depth + 1).text};`);
  }
  if (members.length < properties.length) members.push(`/* … ${properties.length - members.length} more */`);
  const oneLine = `{ ${members.join(' ').replace(/;$/, '')} }`;
  const text = oneLine.length <= 60 && !oneLine.includes('/*') && !oneLine.includes('\n') ? oneLine : `{\n${members.map((m) => inner + m).join('\n')}\n${indent}}`;
  return record && record.text !== 'Record<string, unknown>' ? { text: `${text} & ${record.text}`, op: '&' } : { text };
}

/** A property's description and the constraints a caller needs to get a value right. */
export function propertyDoc(schema: unknown): string {
  if (!isObject(schema)) return '';
  const hints: string[] = [];
  if (schema.type === 'integer') hints.push('integer');
  if (typeof schema.format === 'string') hints.push(schema.format);
  const min = schema.minimum ?? schema.exclusiveMinimum;
  const max = schema.maximum ?? schema.exclusiveMaximum;
  if (typeof min === 'number' || typeof max === 'number') hints.push(`${typeof min === 'number' ? min : ''}..${typeof max === 'number' ? max : ''}`);
  if (typeof schema.pattern === 'string' && schema.pattern.length <= 40) hints.push(`pattern ${schema.pattern}`);
  const fallback = 'default' in schema ? safeJson(schema.default) : undefined;
  if (fallback !== undefined) hints.push(`default ${fallback.length > 60 ? `${fallback.slice(0, 59)}…` : fallback}`);
  const description = typeof schema.description === 'string' ? schema.description : typeof schema.title === 'string' ? schema.title : '';
  const text = [description.trim(), hints.length > 0 ? `(${hints.join(', ')})` : ''].filter(Boolean).join(' ');
  return commentText(text, TYPE_LIMITS.doc);
}

function literal(value: unknown, ctx: TypeContext): Rendered {
  const text = safeJson(value);
  if (text === undefined) return UNKNOWN;
  ctx.chars += Math.min(text.length, TYPE_LIMITS.literal);
  if (text.length <= TYPE_LIMITS.literal) return { text };
  return { text: Array.isArray(value) ? 'unknown[]' : value === null ? 'null' : typeof value === 'object' ? 'Record<string, unknown>' : typeof value };
}

function literals(values: unknown[], ctx: TypeContext): Rendered {
  const shown = union(capped(values).map((value) => literal(value, ctx)));
  const more = values.length - TYPE_LIMITS.members;
  return more > 0 ? { text: `${shown.text} /* … ${more} more */`, op: '|' } : shown;
}

/** JSON text of a value, or undefined for what has none (a cycle, a BigInt: only in-process objects). */
function safeJson(value: unknown): string | undefined {
  try {
    return JSON.stringify(value);
  } catch {
    return undefined;
  }
}

function capped<T>(items: T[]): T[] {
  return items.slice(0, TYPE_LIMITS.members);
}

function union(members: Rendered[]): Rendered {
  if (members.length === 0 || members.some((m) => m.text === 'unknown')) return UNKNOWN;
  const unique = [...new Map(members.map((m) => [m.text, m])).values()];
  if (unique.length === 1) return unique[0]!;
  return { text: unique.map((m) => (m.op === '&' ? `(${m.text})` : m.text)).join(' | '), op: '|' };
}

function intersection(parts: Rendered[]): Rendered {
  const known = parts.filter((p) => p.text !== 'unknown');
  if (known.length === 0) return UNKNOWN;
  if (known.length === 1) return known[0]!;
  return { text: known.map((p) => (p.op === '|' ? `(${p.text})` : p.text)).join(' & '), op: '&' };
}
