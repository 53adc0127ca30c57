/**
 * Whitespace-compacted text that reads the same, as markdown too: trimmed, runs of spaces and tabs
 * made one space, indentation and trailing spaces around line breaks removed, three or more line
 * breaks made two (a paragraph break stays a paragraph break, a line break stays a line break).
 *
 * @example
 * compactText('  Reads a file.\n\n\n\n    Paths are   relative. '); // 'Reads a file.\n\nPaths are relative.'
 */
export function compactText(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t]+/g, ' ')
    .replace(/ ?\n ?/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/**
 * Text for the inside of a one-line `/** … *\/` comment: all whitespace (line breaks and U+2028/9
 * included) made single spaces, `*\/` broken so a description cannot end the comment early and put
 * its own code in a declaration, and cut at `max` characters with an ellipsis.
 *
 * @example
 * commentText('Reads a\n   file', 100); // 'Reads a file'
 */
export function commentText(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const cut = flat.length > max ? `${flat.slice(0, max - 1).trimEnd()}…` : flat;
  return cut.replace(/\*\//g, '*\\/');
}
