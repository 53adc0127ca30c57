/**
 * Compares two strings by Unicode code point. `Array.prototype.sort` without a comparator compares
 * UTF-16 code units, which puts U+E000..U+FFFF after astral characters; the catalog promises
 * code point order, so it cannot rely on the default.
 *
 * @example
 * ['b', 'a', '\u{1F600}', '\uFFFD'].sort(compareCodePoints); // ['a', 'b', '\uFFFD', '\u{1F600}']
 */
export function compareCodePoints(a: string, b: string): number {
  const left = a[Symbol.iterator]();
  const right = b[Symbol.iterator]();
  for (;;) {
    const l = left.next();
    const r = right.next();
    if (l.done === true || r.done === true) return (l.done === true ? 0 : 1) - (r.done === true ? 0 : 1);
    const diff = (l.value.codePointAt(0) ?? 0) - (r.value.codePointAt(0) ?? 0);
    if (diff !== 0) return diff;
  }
}

/**
 * Length in characters (code points), the unit people and most clients count a name in.
 *
 * @example
 * charLength('fs__read_file'); // 13
 */
export function charLength(text: string): number {
  let count = 0;
  for (const _ of text) count += 1;
  return count;
}
