import { OutletError } from '../../errors/index.js';
import { parseJsonBytes, readBodyBytes } from '../../protocol/read-json-body.js';

/**
 * Reads the body of `POST /api/tools/<name>` as the tool's arguments, under a byte limit.
 *
 * Unlike an MCP message, an absent or blank body is meaningful here: a tool without parameters is
 * called with `{}`. Anything else must be one JSON object, because MCP tool arguments are always
 * an object; an array or a scalar is refused by name rather than passed on for the upstream to
 * misread.
 */
export async function readToolArguments(request: Request, maxBytes: number, maxDepth?: number): Promise<Record<string, unknown>> {
  const bytes = await readBodyBytes(request, maxBytes);
  if (isBlank(bytes)) return {};
  const value = parseJsonBytes(bytes, maxDepth);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new OutletError('INVALID_PARAMS', `the request body must be a JSON object of tool arguments, not ${kindOf(value)}`);
  }
  return value as Record<string, unknown>;
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

