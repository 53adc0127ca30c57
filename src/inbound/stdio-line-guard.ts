import { Transform, type Readable } from 'node:stream';

/**
 * Stands between stdin and the SDK's stdio transport. The SDK's line reader skips a line that is
 * not JSON without a word (a client reading a server's stdout must tolerate console noise), but
 * on the server side JSON-RPC 2.0 (section 5.1) wants an answer: -32700 with a null id. Lines that
 * parse go through unchanged; the others are answered through `answer` and dropped.
 */
export function guardStdinLines(input: Readable, answer: (line: string) => void): Readable {
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
