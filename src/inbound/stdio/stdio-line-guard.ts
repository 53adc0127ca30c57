import { Transform, type Readable } from 'node:stream';
import { DEFAULT_MAX_JSON_DEPTH, depthOverflowAt } from '../../protocol/json-depth.js';

/**
 * Stands between stdin and the SDK's stdio transport. The SDK's line reader skips a line that is
 * not JSON without a word (a client reading a server's stdout must tolerate console noise), but
 * on the server side JSON-RPC 2.0 (section 5.1) wants an answer: -32700 with a null id. Lines that
 * parse go through unchanged; the others are answered through `answer` and dropped. A line nested
 * deeper than `maxDepth` is refused before it is parsed (-32600), so depth costs no parsing time.
 */
export function guardStdinLines(input: Readable, answer: (line: string) => void, maxDepth = DEFAULT_MAX_JSON_DEPTH): Readable {
  let rest = '';
  const guard = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      const text = rest + chunk.toString('utf8');
      const lines = text.split('\n');
      rest = lines.pop() ?? '';
      const passed: string[] = [];
      for (const raw of lines) {
        const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
        if (line.trim() === '') continue;
        const deep = depthOverflowAt(line, maxDepth);
        if (deep >= 0) {
          const message = `Invalid request: the line nests arrays and objects deeper than ${maxDepth} levels (http.maxJsonDepth), at character ${deep}`;
          answer(`${JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: -32600, message, data: { limit: maxDepth } } })}\n`);
          continue;
        }
        try {
          JSON.parse(line);
          passed.push(line);
        } catch (err) {
          answer(`${JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: -32700, message: `Parse error: the line is not valid JSON (${(err as Error).message})` } })}\n`);
        }
      }
      done(null, passed.length > 0 ? `${passed.join('\n')}\n` : undefined);
    },
    flush(done) {
      // A last line without its newline is incomplete: the SDK would not read it either.
      done();
    },
  });
  input.pipe(guard);
  return guard;
}
