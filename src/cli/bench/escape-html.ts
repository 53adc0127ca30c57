/**
 * Text for HTML content and attribute values (inline SVG included: the HTML parser reads it).
 * Target names, URLs and error messages come from outside, so nothing goes into the report unescaped.
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
