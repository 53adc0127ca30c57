import { OutletError } from '../errors/index.js';
import { assertJsonDepth, DEFAULT_MAX_JSON_DEPTH } from './json-depth.js';

/**
 * Reads a request body as JSON under a byte limit, without trusting Content-Length alone (a
 * chunked body has none). Over the limit: PAYLOAD_TOO_LARGE before anything is parsed; nested
 * deeper than `maxDepth`: INPUT_LIMIT_EXCEEDED, also before parsing.
 */
export async function readJsonBody(request: Request, maxBytes: number, maxDepth = DEFAULT_MAX_JSON_DEPTH): Promise<unknown> {
  if (!request.body) throw new OutletError('INVALID_REQUEST', 'request body is empty; expected a JSON-RPC message');
  return parseJsonBytes(await readBodyBytes(request, maxBytes), maxDepth);
}

/** A body's bytes, refused as soon as they pass the limit (a chunked body declares no length). */
export async function readBodyBytes(request: Request, maxBytes: number): Promise<Uint8Array> {
  const declared = Number(request.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge(maxBytes);
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    // A stream that breaks off (the caller went away mid-body) is the caller's doing, not a fault.
    const { done, value } = await reader.read().catch((err: unknown) => {
      throw new OutletError('INVALID_REQUEST', 'the request body could not be read to its end', undefined, { cause: err });
    });
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
}

/**
 * Decodes a body as strict UTF-8 and parses it as JSON, with the errors a client can act on. The
 * nesting is checked on the raw bytes first, so a hostile depth never reaches the parser.
 */
export function parseJsonBytes(bytes: Uint8Array, maxDepth = DEFAULT_MAX_JSON_DEPTH): unknown {
  assertJsonDepth(bytes, maxDepth);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new OutletError('PARSE_ERROR', 'request body is not valid UTF-8');
  }
  if (text.trim() === '') throw new OutletError('INVALID_REQUEST', 'request body is empty; expected a JSON-RPC message');
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new OutletError('PARSE_ERROR', `request body is not valid JSON: ${(err as Error).message}`);
  }
}

function tooLarge(maxBytes: number): OutletError {
  return new OutletError('PAYLOAD_TOO_LARGE', `request body exceeds the limit of ${maxBytes} bytes`, { limit: maxBytes });
}
