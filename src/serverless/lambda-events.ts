/**
 * AWS Lambda HTTP events as Web Requests. Only the fields read here are typed: the events are
 * plain JSON, so no AWS package is needed.
 */

/** API Gateway REST API event (payload format 1.0; also an HTTP API route set to 1.0). */
export interface LambdaV1Event {
  httpMethod: string;
  path: string;
  headers?: Record<string, string | undefined> | null;
  multiValueHeaders?: Record<string, string[] | undefined> | null;
  queryStringParameters?: Record<string, string | undefined> | null;
  multiValueQueryStringParameters?: Record<string, string[] | undefined> | null;
  body?: string | null;
  isBase64Encoded?: boolean;
  requestContext?: { stage?: string; path?: string; domainName?: string } | null;
}

/** HTTP API event (payload format 2.0); a Lambda Function URL sends the same shape. */
export interface LambdaV2Event {
  version: '2.0';
  rawPath: string;
  rawQueryString?: string;
  cookies?: string[];
  headers?: Record<string, string | undefined>;
  body?: string;
  isBase64Encoded?: boolean;
  requestContext: { http: { method: string }; stage?: string; domainName?: string };
}

export type LambdaEventFormat = 'v1' | 'v2';

export type DecodedEvent = { ok: true; format: LambdaEventFormat; request: Request } | { ok: false; reason: string };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function isV2(event: Record<string, unknown>): event is Record<string, unknown> & LambdaV2Event {
  const context = event.requestContext;
  return event.version === '2.0' && typeof event.rawPath === 'string' && isRecord(context) && isRecord(context.http) && typeof context.http.method === 'string';
}

function isV1(event: Record<string, unknown>): event is Record<string, unknown> & LambdaV1Event {
  return typeof event.httpMethod === 'string' && typeof event.path === 'string';
}

/**
 * A stage name in front of the path is not part of the outlet's routes. An HTTP API puts a named
 * stage in rawPath (never `$default`). A REST API's `path` normally has no stage (its
 * requestContext.path does), but behind some custom domains and emulators it does: the stage is
 * removed only when requestContext.path shows it was not already left out.
 */
function withoutStage(path: string, stage: string | undefined, contextPath: string | undefined): string {
  if (!stage || stage === '$default') return path;
  const prefix = `/${stage}`;
  if (path !== prefix && !path.startsWith(`${prefix}/`)) return path;
  if (contextPath !== undefined && contextPath === `${prefix}${path}`) return path;
  return path.slice(prefix.length) || '/';
}

function bodyOf(method: string, body: string | null | undefined, base64: boolean | undefined): Uint8Array<ArrayBuffer> | undefined {
  // A GET or HEAD cannot carry a body in a Web Request, and an empty one is no body.
  if (method === 'GET' || method === 'HEAD' || body === undefined || body === null || body === '') return undefined;
  // Bytes, not a string: a string body would make the Request invent a text/plain content type.
  return base64 ? Buffer.from(body, 'base64') : Buffer.from(body, 'utf8');
}

function urlOf(headers: Headers, domainName: string | undefined, path: string, query: string): URL {
  const host = headers.get('host') ?? domainName ?? 'localhost';
  const proto = headers.get('x-forwarded-proto')?.split(',')[0]?.trim() || 'https';
  const url = new URL(`${proto}://${host}`);
  // The pathname setter percent-encodes what the event may carry decoded (a space, a "?").
  url.pathname = path;
  url.search = query;
  return url;
}

function fromV1(event: LambdaV1Event): Request {
  const method = event.httpMethod.toUpperCase();
  const headers = new Headers();
  for (const [name, values] of Object.entries(event.multiValueHeaders ?? {})) for (const v of values ?? []) headers.append(name, v);
  // `headers` repeats the last value of each multi-value header: only names not seen are added.
  for (const [name, value] of Object.entries(event.headers ?? {})) if (value !== undefined && !headers.has(name)) headers.set(name, value);
  const query = new URLSearchParams();
  const multi = event.multiValueQueryStringParameters;
  if (multi) for (const [name, values] of Object.entries(multi)) for (const v of values ?? []) query.append(name, v);
  else for (const [name, value] of Object.entries(event.queryStringParameters ?? {})) if (value !== undefined) query.append(name, value);
  const path = withoutStage(event.path, event.requestContext?.stage, event.requestContext?.path);
  const body = bodyOf(method, event.body, event.isBase64Encoded);
  return new Request(urlOf(headers, event.requestContext?.domainName, path, query.toString()), { method, headers, ...(body ? { body } : {}) });
}

function fromV2(event: LambdaV2Event): Request {
  const method = event.requestContext.http.method.toUpperCase();
  const headers = new Headers();
  for (const [name, value] of Object.entries(event.headers ?? {})) if (value !== undefined) headers.set(name, value);
  // Payload 2.0 moves the Cookie header into `cookies`.
  if (event.cookies?.length) headers.set('cookie', [headers.get('cookie'), ...event.cookies].filter(Boolean).join('; '));
  const path = withoutStage(event.rawPath, event.requestContext.stage, undefined);
  const body = bodyOf(method, event.body, event.isBase64Encoded);
  return new Request(urlOf(headers, event.requestContext.domainName, path, event.rawQueryString ?? ''), { method, headers, ...(body ? { body } : {}) });
}

/**
 * Turns an API Gateway (REST or HTTP API) or Function URL event into a Web Request, or says why
 * it cannot: another service's event, or a malformed one, is answered 400 rather than thrown.
 */
export function requestFromEvent(event: unknown): DecodedEvent {
  if (!isRecord(event)) return { ok: false, reason: `expected an HTTP event object, got ${event === null ? 'null' : typeof event}` };
  try {
    if (isV2(event)) return { ok: true, format: 'v2', request: fromV2(event) };
    if (isV1(event)) return { ok: true, format: 'v1', request: fromV1(event) };
  } catch (err) {
    return { ok: false, reason: `malformed HTTP event: ${(err as Error).message}` };
  }
  return {
    ok: false,
    reason: 'not an API Gateway or Function URL event: expected httpMethod and path (payload 1.0), or version "2.0" with rawPath and requestContext.http.method (payload 2.0, Function URL)',
  };
}
