import { OutletError } from '../errors/index.js';
import { parseJsonBytes } from './read-json-body.js';

/**
 * Reads the body of `POST /api/tools/<name>` as the tool's arguments, under a byte limit.
 *
 * Unlike an MCP message, an absent or blank body is meaningful here: a tool without parameters is
 * called with `{}`. Anything else must be one JSON object, because MCP tool arguments are always
 * an object; an array or a scalar is refused by name rather than passed on for the upstream to
 * misread.
 */
export async function readToolArguments(request: Request, maxBytes: number): Promise<Record<string, unknown>> {
  const bytes = await readBytes(request, maxBytes);
  if (isBlank(bytes)) return {};
  const value = parseJsonBytes(bytes);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new OutletError('INVALID_PARAMS', `the request body must be a JSON object of tool arguments, not ${kindOf(value)}`);
  }
  return value as Record<string, unknown>;
}

/** The body's bytes, refused as soon as they pass the limit (a chunked body declares no length). */
async function readBytes(request: Request, maxBytes: number): Promise<Uint8Array> {
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

/** Only ASCII whitespace counts as "no body"; anything else goes to the parser and its messages. */
function isBlank(bytes: Uint8Array): boolean {
  for (const b of bytes) if (b !== 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) return false;
  return true;
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

function tooLarge(maxBytes: number): OutletError {
  return new OutletError('PAYLOAD_TOO_LARGE', `request body exceeds the limit of ${maxBytes} bytes`, { limit: maxBytes });
}
