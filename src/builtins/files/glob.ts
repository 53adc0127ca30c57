/**
 * A glob as a regular expression over `/`-separated relative paths: `*` and `?` stay within one
 * name, `**` spans folders, `{a,b}` is either, `[...]` a class. A pattern without `/` matches the
 * name alone, at any depth (`*.md`), as shells' `find -name` does.
 */
export function globToRegExp(glob: string): { regex: RegExp; byName: boolean } {
  if (glob.length > 500) throw new Error('pattern: longer than 500 characters');
  let out = '';
  let braces = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') {
      if (glob[i + 1] === '*') {
        const slash = glob[i + 2] === '/';
        out += slash ? '(?:.*/)?' : '.*';
        i += slash ? 2 : 1;
      } else out += '[^/]*';
    } else if (c === '?') out += '[^/]';
    else if (c === '{') {
      braces++;
      out += '(?:';
    } else if (c === '}' && braces > 0) {
      braces--;
      out += ')';
    } else if (c === ',' && braces > 0) out += '|';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 2);
      if (end < 0) out += '\\[';
      else {
        const body = glob.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\');
        out += `[${body}]`;
        i = end;
      }
    } else out += c.replace(/[.+^$()|\\\]{}]/g, '\\$&');
  }
  if (braces > 0) throw new Error(`pattern: "${glob}" has an unclosed "{"`);
  return { regex: new RegExp(`^${out}$`, 'u'), byName: !glob.includes('/') };
}
