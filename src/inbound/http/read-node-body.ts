import type { IncomingMessage } from 'node:http';
import { OutletError } from '../../errors/index.js';
import { DEFAULT_MAX_JSON_DEPTH } from '../../protocol/json-depth.js';
import { parseJsonBytes } from '../../protocol/read-json-body.js';

/**
 * Reads and parses a JSON body straight from Node's request stream, under a byte limit. Under
 * @hono/node-server this skips building a Web ReadableStream per request, which the benchmark
 * profile showed as one of the largest costs of the hot path; other runtimes read the Web body.
 */
export function readNodeJsonBody(incoming: IncomingMessage, maxBytes: number, maxDepth = DEFAULT_MAX_JSON_DEPTH): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const declared = Number(incoming.headers['content-length'] ?? NaN);
    if (Number.isFinite(declared) && declared > maxBytes) {
      incoming.resume();
      reject(tooLarge(maxBytes));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    incoming.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > maxBytes) {
        failed = true;
        reject(tooLarge(maxBytes));
        return;
      }
      chunks.push(chunk);
    });
    incoming.once('error', (err) => reject(err));
    incoming.once('end', () => {
      if (failed) return;
      // parse() throws on bad input; inside a listener that would escape the promise entirely.
      try {
        resolve(parseJsonBytes(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks), maxDepth));
      } catch (err) {
        reject(err instanceof Error ? err : new Error(String(err)));
      }
    });
  });
}

function tooLarge(maxBytes: number): OutletError {
  return new OutletError('PAYLOAD_TOO_LARGE', `request body exceeds the limit of ${maxBytes} bytes`, { limit: maxBytes });
}
