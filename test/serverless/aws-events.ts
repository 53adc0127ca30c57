// AWS itself is the one thing faked in these tests: the events below are hand-built JSON in the
// shapes API Gateway (REST API, payload 1.0), HTTP API (payload 2.0) and Lambda Function URLs
// deliver, field for field as AWS documents them, and results are read back the way those
// services read them. Timestamps and ids are fixed values.
import type { LambdaResult } from '../../src/serverless/lambda-result.js';

/** An HTTP request to turn into an event. `path` may carry a query string. */
export interface PlainRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  /** Deliver the body base64-encoded (what API Gateway and Function URLs do for binary media types). */
  base64?: boolean;
}

const API_ID = 'a1b2c3d4e5';
const URL_ID = 'x7f3kq2vbnq4mcdxyzuvw3l5oa0tbjqn';
const REQUEST_TIME_EPOCH = 1_775_738_096_000;

function split(path: string): { pathname: string; query: URLSearchParams; raw: string } {
  const at = path.indexOf('?');
  const raw = at < 0 ? '' : path.slice(at + 1);
  return { pathname: at < 0 ? path : path.slice(0, at), query: new URLSearchParams(raw), raw };
}

function encodeBody(req: PlainRequest): { body: string | null; isBase64Encoded: boolean } {
  if (req.body === undefined) return { body: null, isBase64Encoded: false };
  const bytes = typeof req.body === 'string' ? Buffer.from(req.body) : Buffer.from(req.body);
  return req.base64 ? { body: bytes.toString('base64'), isBase64Encoded: true } : { body: bytes.toString('utf8'), isBase64Encoded: false };
}

/** An API Gateway REST API proxy event (payload 1.0) on stage `prod` of the default endpoint. */
export function restApiEvent(req: PlainRequest, options: { stage?: string; pathIncludesStage?: boolean } = {}) {
  const stage = options.stage ?? 'prod';
  const domainName = `${API_ID}.execute-api.us-east-1.amazonaws.com`;
  const { pathname, query } = split(req.path);
  // REST API keeps the client's header casing; `headers` holds the last value of each name.
  const given: Record<string, string> = { Host: domainName, 'X-Forwarded-Proto': 'https', 'X-Forwarded-Port': '443', 'X-Forwarded-For': '203.0.113.7', 'X-Amzn-Trace-Id': 'Root=1-67f6a1b0-0123456789abcdef01234567', ...req.headers };
  const multiValueQuery: Record<string, string[]> = {};
  for (const [name, value] of query) (multiValueQuery[name] ??= []).push(value);
  const hasQuery = Object.keys(multiValueQuery).length > 0;
  const { body, isBase64Encoded } = encodeBody(req);
  return {
    resource: '/{proxy+}',
    path: options.pathIncludesStage ? `/${stage}${pathname}` : pathname,
    httpMethod: req.method,
    headers: given,
    multiValueHeaders: Object.fromEntries(Object.entries(given).map(([k, v]) => [k, [v]])),
    queryStringParameters: hasQuery ? Object.fromEntries(Object.entries(multiValueQuery).map(([k, v]) => [k, v[v.length - 1]!])) : null,
    multiValueQueryStringParameters: hasQuery ? multiValueQuery : null,
    pathParameters: { proxy: pathname.replace(/^\//, '') },
    stageVariables: null,
    requestContext: {
      resourceId: 'k9z8y7',
      resourcePath: '/{proxy+}',
      httpMethod: req.method,
      extendedRequestId: 'Ab1CdEfGhIjKlMn=',
      requestTime: '09/Apr/2026:12:34:56 +0000',
      path: `/${stage}${pathname}`,
      accountId: '123456789012',
      protocol: 'HTTP/1.1',
      stage,
      domainPrefix: API_ID,
      requestTimeEpoch: REQUEST_TIME_EPOCH,
      requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
      identity: { cognitoIdentityPoolId: null, accountId: null, cognitoIdentityId: null, caller: null, sourceIp: '203.0.113.7', principalOrgId: null, accessKey: null, cognitoAuthenticationType: null, cognitoAuthenticationProvider: null, userArn: null, userAgent: given['User-Agent'] ?? 'vector-runner', user: null },
      domainName,
      apiId: API_ID,
    },
    body,
    isBase64Encoded,
  };
}

function v2Event(req: PlainRequest, domainName: string, routeKey: string, stage: string, extraContext: Record<string, unknown>) {
  const { pathname, query, raw } = split(req.path);
  // Payload 2.0 lower-cases header names, joins repeats with commas and moves Cookie to `cookies`.
  const headers: Record<string, string> = { host: domainName, 'x-forwarded-proto': 'https', 'x-forwarded-port': '443', 'x-forwarded-for': '203.0.113.7', 'x-amzn-trace-id': 'Root=1-67f6a1b0-0123456789abcdef01234567' };
  let cookies: string[] | undefined;
  for (const [name, value] of Object.entries(req.headers ?? {})) {
    if (name.toLowerCase() === 'cookie') cookies = value.split(/;\s*/);
    else headers[name.toLowerCase()] = value;
  }
  const { body, isBase64Encoded } = encodeBody(req);
  return {
    version: '2.0',
    routeKey,
    rawPath: stage === '$default' ? pathname : `/${stage}${pathname}`,
    rawQueryString: raw,
    ...(cookies ? { cookies } : {}),
    headers,
    ...(raw ? { queryStringParameters: Object.fromEntries([...new Set(query.keys())].map((k) => [k, query.getAll(k).join(',')])) } : {}),
    requestContext: {
      accountId: '123456789012',
      apiId: domainName.split('.')[0],
      domainName,
      domainPrefix: domainName.split('.')[0],
      http: { method: req.method, path: pathname, protocol: 'HTTP/1.1', sourceIp: '203.0.113.7', userAgent: headers['user-agent'] ?? 'vector-runner' },
      requestId: 'JKJaXmPLvHcESHA=',
      routeKey,
      stage,
      time: '09/Apr/2026:12:34:56 +0000',
      timeEpoch: REQUEST_TIME_EPOCH,
      ...extraContext,
    },
    ...(routeKey === '$default' ? {} : { pathParameters: { proxy: pathname.replace(/^\//, '') } }),
    ...(body === null ? {} : { body }),
    isBase64Encoded,
  };
}

/** An HTTP API event (payload 2.0) on the `$default` stage, or on a named one (which prefixes rawPath). */
export function httpApiEvent(req: PlainRequest, options: { stage?: string } = {}) {
  return v2Event(req, `${API_ID}.execute-api.us-east-1.amazonaws.com`, 'ANY /{proxy+}', options.stage ?? '$default', {});
}

/** A Lambda Function URL event (the 2.0 shape, with a lambda-url host and no API in front). */
export function functionUrlEvent(req: PlainRequest) {
  return v2Event(req, `${URL_ID}.lambda-url.us-east-1.on.aws`, '$default', '$default', { accountId: 'anonymous' });
}

/** A handler's result read back as API Gateway or the Function URL service would render it. */
export function readResult(result: LambdaResult): { status: number; headers: Headers; text: string; bytes: Buffer } {
  const headers = new Headers();
  if ('multiValueHeaders' in result) {
    for (const [name, values] of Object.entries(result.multiValueHeaders)) for (const v of values) headers.append(name, v);
    for (const [name, value] of Object.entries(result.headers)) if (!headers.has(name)) headers.set(name, value);
  } else {
    for (const [name, value] of Object.entries(result.headers)) headers.set(name, value);
    for (const cookie of result.cookies ?? []) headers.append('set-cookie', cookie);
  }
  const bytes = result.isBase64Encoded ? Buffer.from(result.body, 'base64') : Buffer.from(result.body, 'utf8');
  return { status: result.statusCode, headers, text: bytes.toString('utf8'), bytes };
}
