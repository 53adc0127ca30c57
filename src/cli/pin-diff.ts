import { createTwoFilesPatch } from 'diff';
import type { PinChange, PinnedDefinition } from './pin-command.js';

/** JSON with object keys sorted at every level, so a diff shows changes and not reorderings. */
function sortedJson(value: unknown): string {
  const sort = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sort);
    if (v === null || typeof v !== 'object') return v;
    return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sort((v as Record<string, unknown>)[k])]));
  };
  return JSON.stringify(sort(value), null, 2);
}

/**
 * A definition as lines a person can review: the description as its own text (a changed sentence
 * in a long description is one changed line, not one changed JSON string), then each schema.
 */
export function renderDefinition(def: PinnedDefinition): string {
  const parts = [`description:\n${def.description ?? '(none)'}`, `inputSchema:\n${sortedJson(def.inputSchema ?? null)}`];
  if (def.outputSchema !== undefined) parts.push(`outputSchema:\n${sortedJson(def.outputSchema)}`);
  return `${parts.join('\n\n')}\n`;
}

/**
 * A unified diff of one changed tool, pinned definition against the one the server offers now.
 * A pin written before definitions were recorded (or pinned on first sight by the gateway) has no
 * "before": the new definition is shown whole, so what is approved is still seen.
 *
 * @example
 * formatPinChange({ server: 'fx', tool: 'echo', before: { description: 'a' }, after: { description: 'b' } });
 * // "--- fx/echo (pinned)\n+++ fx/echo (now)\n@@ ... @@\n description:\n-a\n+b\n ..."
 */
export function formatPinChange(change: PinChange): string {
  const name = `${change.server}/${change.tool}`;
  if (change.before === undefined) {
    const body = renderDefinition(change.after).trimEnd().replace(/^/gm, '+ ').replace(/ +$/gm, '');
    return `changed ${name}: the lock file kept only its digest, not the pinned definition; the definition now:\n${body}`;
  }
  const patch = createTwoFilesPatch(`${name} (pinned)`, `${name} (now)`, renderDefinition(change.before), renderDefinition(change.after), undefined, undefined, { context: 3 });
  // Drop the "====" banner line createTwoFilesPatch starts with.
  return patch.replace(/^=+\n/, '');
}
