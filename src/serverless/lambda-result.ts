import type { LambdaEventFormat } from './lambda-events.js';

/** What a REST API (payload 1.0) integration expects back. */
export interface LambdaV1Result {
  statusCode: number;
  headers: Record<string, string>;
  multiValueHeaders: Record<string, string[]>;
  body: string;
  isBase64Encoded: boolean;
}

/** What an HTTP API (payload 2.0) integration or a Function URL expects back. */
export interface LambdaV2Result {
  statusCode: number;
  headers: Record<string, string>;
  cookies?: string[];
  body: string;
  isBase64Encoded: boolean;
}

export type LambdaResult = LambdaV1Result | LambdaV2Result;

/**
 * Lambda results carry the body as a string: text as is, anything else base64 (so bytes survive
 * the JSON the result travels in). A compressed body is bytes whatever its media type says.
 */
export function isTextual(contentType: string | null, contentEncoding: string | null): boolean {
  if (contentEncoding && contentEncoding !== 'identity') return false;
  if (!contentType) return true; // a bodiless answer (202, 204, 405) has no type
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  return (
    type.startsWith('text/') ||
    type === 'application/json' ||
    type.endsWith('+json') ||
    type === 'application/xml' ||
    type.endsWith('+xml') ||
    type === 'application/javascript' ||
    type === 'application/x-www-form-urlencoded' ||
    type === 'application/x-ndjson'
  );
}

/** Headers but Set-Cookie, one value each (a Web Headers already joins repeats with ", "). */
function plainHeaders(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, name) => {
    if (name !== 'set-cookie') out[name] = value;
  });
  return out;
}

/**
 * A Web Response as the event's result format. The body is read to the end: a buffered
 * integration can only return a finished body (the MCP POST answers end after the response).
 * Payload 1.0 gets repeated Set-Cookie headers in multiValueHeaders (API Gateway lets those win
 * over `headers`); payload 2.0 has a `cookies` list for them.
 */
export async function resultFor(response: Response, format: LambdaEventFormat): Promise<LambdaResult> {
  const bytes = Buffer.from(await response.arrayBuffer());
  const textual = isTextual(response.headers.get('content-type'), response.headers.get('content-encoding'));
  const body = textual ? bytes.toString('utf8') : bytes.toString('base64');
  const headers = plainHeaders(response.headers);
  const cookies = response.headers.getSetCookie();
  if (format === 'v2') {
    return { statusCode: response.status, headers, ...(cookies.length ? { cookies } : {}), body, isBase64Encoded: !textual };
  }
  const multiValueHeaders: Record<string, string[]> = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, [value]]));
  if (cookies.length) multiValueHeaders['set-cookie'] = cookies;
  return { statusCode: response.status, headers, multiValueHeaders, body, isBase64Encoded: !textual };
}

/** A JSON error result both payload formats accept (for events that cannot be turned into a request). */
export function errorResult(statusCode: number, message: string): LambdaV2Result {
  return { statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ok: false, error: message }), isBase64Encoded: false };
}
