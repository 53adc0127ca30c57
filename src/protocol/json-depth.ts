import { OutletError } from '../errors/index.js';

/**
 * The default of `http.maxJsonDepth`, used where no config reaches the parser. It sits well above
 * inputLimits.maxDepth (64), so a message that is merely too deep is still parsed and refused with
 * its id and the path; only a pathological depth is cut before parsing.
 */
export const DEFAULT_MAX_JSON_DEPTH = 256;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_ARRAY = 0x5b;
const OPEN_OBJECT = 0x7b;
const CLOSE_ARRAY = 0x5d;
const CLOSE_OBJECT = 0x7d;

/**
 * The offset at which JSON text first nests deeper than `maxDepth` arrays and objects, or -1.
 *
 * One pass over the raw text before `JSON.parse`: parsing a body nested a million levels deep
 * costs hundreds of milliseconds of CPU and builds the whole tree before any later check can
 * refuse it, while this stops at the first bracket past the limit. Brackets inside strings do not
 * count. Works on UTF-8 bytes as well as on a string: the characters it looks at are ASCII, and
 * no byte of a multi-byte UTF-8 sequence is ever an ASCII code. It checks nesting only; syntax is
 * left to the parser.
 */
export function depthOverflowAt(text: string | Uint8Array, maxDepth: number): number {
  // A text shorter than the limit cannot hold more brackets than the limit: the common case costs nothing.
  if (text.length <= maxDepth) return -1;
  const code = typeof text === 'string' ? (i: number) => text.charCodeAt(i) : (i: number) => text[i]!;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = code(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) inString = true;
    else if (c === OPEN_ARRAY || c === OPEN_OBJECT) {
      if (++depth > maxDepth) return i;
    } else if (c === CLOSE_ARRAY || c === CLOSE_OBJECT) depth--;
  }
  return -1;
}

/** Throws INPUT_LIMIT_EXCEEDED, naming the limit and its config key, when `text` nests too deep. */
export function assertJsonDepth(text: string | Uint8Array, maxDepth: number): void {
  const at = depthOverflowAt(text, maxDepth);
  if (at < 0) return;
  throw new OutletError(
    'INPUT_LIMIT_EXCEEDED',
    `request body nests arrays and objects deeper than ${maxDepth} levels (http.maxJsonDepth), at byte ${at}; refused before parsing`,
    { limit: maxDepth, offset: at },
  );
}
