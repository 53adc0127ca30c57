import { describe, expect, it } from 'vitest';
import { requestFromEvent, type DecodedEvent } from '../../src/serverless/lambda-events.js';
import { resultFor } from '../../src/serverless/lambda-result.js';
import { functionUrlEvent, httpApiEvent, readResult, restApiEvent } from './aws-events.js';

// Event -> Request and Response -> result on their own, with the events hand-built in AWS's
// documented shapes (AWS is the only thing faked). The Responses are the kind the app returns.

function decoded(event: unknown): Request {
  const d: DecodedEvent = requestFromEvent(event);
  if (!d.ok) throw new Error(d.reason);
  return d.request;
}

describe('a REST API event (payload 1.0)', () => {
  it('keeps every value of multi-value headers and query parameters', () => {
    const event = restApiEvent({ method: 'GET', path: '/health?tag=x&tag=y%20z&q=1' });
    event.multiValueHeaders['X-Tag'] = ['a', 'b'];
    event.headers['X-Tag'] = 'b'; // API Gateway repeats only the last value in `headers`
    const request = decoded(event);
    const url = new URL(request.url);
    expect(url.searchParams.getAll('tag')).toEqual(['x', 'y z']);
    expect(url.searchParams.get('q')).toBe('1');
    expect(request.headers.get('x-tag')).toBe('a, b');
    expect(url.host).toBe('a1b2c3d4e5.execute-api.us-east-1.amazonaws.com');
  });

  it('takes queryStringParameters when there is no multi-value form', () => {
    const event = { ...restApiEvent({ method: 'GET', path: '/health' }), queryStringParameters: { a: 'b c' }, multiValueQueryStringParameters: null };
    expect(new URL(decoded(event).url).searchParams.get('a')).toBe('b c');
  });

  it('drops the stage from the path only when the path carries it', () => {
    expect(new URL(decoded(restApiEvent({ method: 'GET', path: '/health' })).url).pathname).toBe('/health');
    expect(new URL(decoded(restApiEvent({ method: 'GET', path: '/health' }, { pathIncludesStage: true })).url).pathname).toBe('/health');
    // A stage that shares its name with a route: requestContext.path shows `path` is already stage-free.
    expect(new URL(decoded(restApiEvent({ method: 'GET', path: '/mcp' }, { stage: 'mcp' })).url).pathname).toBe('/mcp');
  });

  it('decodes a base64 body to the same bytes, and a text body as UTF-8', async () => {
    const bytes = Uint8Array.from([0x7b, 0x22, 0xc3, 0xa9, 0x22, 0x3a, 0x30, 0x7d]); // {"é":0}
    expect(new Uint8Array(await decoded(restApiEvent({ method: 'POST', path: '/mcp', body: bytes, base64: true })).arrayBuffer())).toEqual(bytes);
    expect(await decoded(restApiEvent({ method: 'POST', path: '/mcp', body: '{"é":0}' })).text()).toBe('{"é":0}');
  });

  it('does not invent a content type for a body sent without one', () => {
    const request = decoded(restApiEvent({ method: 'POST', path: '/mcp', body: '{}' }));
    expect(request.headers.get('content-type')).toBeNull();
  });
});

describe('an HTTP API or Function URL event (payload 2.0)', () => {
  it('puts the cookies list back into one Cookie header and keeps the raw query', () => {
    const request = decoded(httpApiEvent({ method: 'GET', path: '/health?a=1&a=2', headers: { cookie: 'session=abc; theme=dark' } }));
    expect(request.headers.get('cookie')).toBe('session=abc; theme=dark');
    expect(new URL(request.url).searchParams.getAll('a')).toEqual(['1', '2']);
  });

  it('drops a named stage from rawPath, and leaves $default alone', () => {
    expect(new URL(decoded(httpApiEvent({ method: 'GET', path: '/health' }, { stage: 'dev' })).url).pathname).toBe('/health');
    expect(new URL(decoded(functionUrlEvent({ method: 'GET', path: '/servers/tiny/mcp' })).url).pathname).toBe('/servers/tiny/mcp');
  });

  it('decodes a base64 body (what a Function URL sends for a binary media type)', async () => {
    const request = decoded(functionUrlEvent({ method: 'POST', path: '/mcp', headers: { 'content-type': 'application/octet-stream' }, body: '\u0000\u00ff', base64: true }));
    expect([...new Uint8Array(await request.arrayBuffer())]).toEqual([...Buffer.from('\u0000\u00ff')]);
  });
});

describe('events that are not HTTP events', () => {
  it.each([
    ['null', null],
    ['a string', 'GET /health'],
    ['an array', []],
    ['an empty object', {}],
    ['an SQS event', { Records: [{ eventSource: 'aws:sqs', body: '{}' }] }],
    ['a 2.0 event without requestContext.http', { version: '2.0', rawPath: '/health', requestContext: {} }],
  ])('%s is refused with a reason', (_label, event) => {
    const d = requestFromEvent(event);
    expect(d.ok).toBe(false);
    expect(!d.ok && d.reason).toMatch(/expected/);
  });

  it('a malformed one (a method no HTTP request can have) is refused, not thrown', () => {
    const d = requestFromEvent({ ...restApiEvent({ method: 'GET', path: '/health' }), httpMethod: 'GE T' });
    expect(d.ok).toBe(false);
    expect(!d.ok && d.reason).toMatch(/^malformed HTTP event/);
  });
});

describe('results', () => {
  const twoCookies = () => {
    const headers = new Headers({ 'content-type': 'application/json', 'x-trace': 'one' });
    headers.append('set-cookie', 'a=1; Path=/');
    headers.append('set-cookie', 'b=2; HttpOnly');
    return new Response('{"ok":true}', { status: 201, headers });
  };

  it('payload 1.0: repeated Set-Cookie in multiValueHeaders, text bodies as text', async () => {
    const result = await resultFor(twoCookies(), 'v1');
    expect(result).toMatchObject({ statusCode: 201, body: '{"ok":true}', isBase64Encoded: false, headers: { 'x-trace': 'one' } });
    expect('multiValueHeaders' in result && result.multiValueHeaders['set-cookie']).toEqual(['a=1; Path=/', 'b=2; HttpOnly']);
    expect(result.headers['set-cookie']).toBeUndefined();
  });

  it('payload 2.0: Set-Cookie values in `cookies`', async () => {
    const result = await resultFor(twoCookies(), 'v2');
    expect(result).toMatchObject({ statusCode: 201, cookies: ['a=1; Path=/', 'b=2; HttpOnly'], isBase64Encoded: false });
    expect(readResult(result).headers.getSetCookie()).toHaveLength(2);
  });

  it('binary and compressed bodies go base64 and come back byte for byte', async () => {
    const bytes = Uint8Array.from([0, 1, 2, 253, 254, 255]);
    const cases: Record<string, string>[] = [{ 'content-type': 'application/octet-stream' }, { 'content-type': 'application/json', 'content-encoding': 'gzip' }];
    for (const headers of cases) {
      const result = await resultFor(new Response(bytes, { headers }), 'v2');
      expect(result.isBase64Encoded).toBe(true);
      expect([...readResult(result).bytes]).toEqual([...bytes]);
    }
  });

  it('an SSE body is text, and an empty 202 is an empty text body', async () => {
    const sse = await resultFor(new Response('event: message\ndata: {"jsonrpc":"2.0"}\n\n', { headers: { 'content-type': 'text/event-stream' } }), 'v1');
    expect(sse.isBase64Encoded).toBe(false);
    expect(await resultFor(new Response(null, { status: 202 }), 'v2')).toMatchObject({ statusCode: 202, body: '', isBase64Encoded: false });
  });
});
