/**
 * Describes an offset into a config text as "line L, column C" (both 1-based, columns in UTF-16
 * code units), the form every syntax issue uses for its path.
 *
 * @example
 * textPosition('{\n  "a": }', 9); // 'line 2, column 8'
 */
export function textPosition(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - (before.lastIndexOf('\n') + 1) + 1;
  return `line ${line}, column ${column}`;
}
