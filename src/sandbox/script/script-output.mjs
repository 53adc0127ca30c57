// What a run hands back as text: console lines up to a byte budget, and the result cut to size.
// Sizes are UTF-8 bytes, the unit the caller's budgets (and the wire) count in.

const ELLIPSIS_BYTES = Buffer.byteLength('…');

/**
 * Collects console lines until `maxBytes` (each line counts its bytes plus a newline). The line
 * that crosses the budget is cut to fit; every line after it is dropped and only counted, and
 * `lines()` ends with one line saying how much was dropped.
 *
 * @example
 * const sink = new ConsoleSink(16384);
 * sink.add('log', 'hello');
 * sink.lines(); // ['hello']
 */
export class ConsoleSink {
  /** @param {number} maxBytes */
  constructor(maxBytes) {
    this.maxBytes = maxBytes;
    this.usedBytes = 0;
    /** @type {string[]} */
    this.kept = [];
    this.droppedLines = 0;
    this.droppedBytes = 0;
  }

  /**
   * @param {string} level log, info, warn, error or debug; all but log prefix the line with it
   * @param {string} text
   */
  add(level, text) {
    const line = level === 'log' ? text : `[${level}] ${text}`;
    const bytes = Buffer.byteLength(line) + 1;
    if (this.droppedLines === 0 && this.droppedBytes === 0 && this.usedBytes + bytes <= this.maxBytes) {
      this.kept.push(line);
      this.usedBytes += bytes;
      return;
    }
    const room = this.maxBytes - this.usedBytes - 1 - ELLIPSIS_BYTES;
    if (this.droppedBytes === 0 && this.droppedLines === 0 && room > 0) {
      const part = cutUtf8(line, room);
      this.kept.push(`${part}…`);
      this.usedBytes = this.maxBytes;
      this.droppedBytes += bytes - 1 - Buffer.byteLength(part);
      return;
    }
    this.droppedLines += 1;
    this.droppedBytes += bytes;
  }

  /** @returns {string[]} */
  lines() {
    if (this.droppedLines === 0 && this.droppedBytes === 0) return [...this.kept];
    return [...this.kept, `[console output over its ${this.maxBytes}-byte limit: ${this.droppedLines} more lines and ${this.droppedBytes} bytes dropped]`];
  }
}

/**
 * The longest prefix of `text` whose UTF-8 form fits in `maxBytes`, never splitting a character.
 *
 * @param {string} text
 * @param {number} maxBytes
 * @returns {string}
 */
export function cutUtf8(text, maxBytes) {
  const bytes = Buffer.from(text);
  if (bytes.length <= maxBytes) return text;
  let end = Math.max(0, maxBytes);
  while (end > 0 && (bytes[end] & 0xc0) === 0x80) end -= 1; // back off a continuation byte
  return bytes.subarray(0, end).toString('utf8');
}

/**
 * The text to show for a result: as is when it fits in `maxBytes`, otherwise cut with a marker
 * saying how much of it is shown.
 *
 * @param {string} text
 * @param {number} maxBytes
 * @returns {{ text: string, cut?: { shownBytes: number, totalBytes: number } }}
 * @example
 * showText('x'.repeat(10), 4); // { text: 'xxxx\n[output cut: showing 4 of 10 bytes]', cut: { shownBytes: 4, totalBytes: 10 } }
 */
export function showText(text, maxBytes) {
  const totalBytes = Buffer.byteLength(text);
  if (totalBytes <= maxBytes) return { text };
  const shown = cutUtf8(text, maxBytes);
  const shownBytes = Buffer.byteLength(shown);
  return { text: `${shown}\n[output cut: showing ${shownBytes} of ${totalBytes} bytes]`, cut: { shownBytes, totalBytes } };
}
