import type { AzureHttpRequest, AzureHttpResponseInit } from '../../src/serverless/azure-adapter.js';
import type { LambdaHandler } from '../../src/serverless/lambda-adapter.js';
import { functionUrlEvent, httpApiEvent, readResult, restApiEvent } from '../serverless/aws-events.js';
import { answerOf, bodyOf, type Answer } from './answer.js';
import { methodOf, type VectorRequest } from './vector-format.js';

/** A vector request as it goes on the wire: the method settled and the body as text. */
export interface WireRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export type Send = (req: WireRequest) => Promise<Answer>;

export function wireOf(req: VectorRequest): WireRequest {
  const body = req.rawBody ?? (req.body === undefined ? undefined : JSON.stringify(req.body));
  return { method: methodOf(req), path: req.path, headers: req.headers ?? {}, ...(body === undefined ? {} : { body }) };
}

/** Real HTTP to a listening server (the local Node server, the Functions-Framework-like host). */
export function overHttp(baseUrl: string): Send {
  return async (req) => answerOf(await fetch(`${baseUrl}${req.path}`, { method: req.method, headers: req.headers, ...(req.body === undefined ? {} : { body: req.body }) }));
}

/** A Web fetch handler called directly, as Workers, Deno and Bun call it. */
export function overFetch(handler: (request: Request) => Promise<Response>): Send {
  return async (req) => answerOf(await handler(new Request(`https://outlet.example${req.path}`, { method: req.method, headers: req.headers, ...(req.body === undefined ? {} : { body: req.body }) })));
}

const EVENT_BUILDERS = { 'lambda-v1': restApiEvent, 'lambda-v2': httpApiEvent, 'lambda-url': functionUrlEvent } as const;

/** The Lambda handler invoked with the event the named AWS front door would send. */
export function overLambda(handler: LambdaHandler, kind: keyof typeof EVENT_BUILDERS): Send {
  return async (req) => {
    const event = EVENT_BUILDERS[kind]({ method: req.method, path: req.path, headers: req.headers, ...(req.body === undefined ? {} : { body: req.body }) });
    // Through JSON and back, as the Lambda runtime hands events over and returns results.
    const result = JSON.parse(JSON.stringify(await handler(JSON.parse(JSON.stringify(event)))));
    const { status, headers, text } = readResult(result);
    return { status, headers, text, body: bodyOf(text, headers.get('content-type')) };
  };
}

/** The Azure trigger called with a Fetch-like request, as the Functions v4 worker does. */
export function overAzure(handler: (request: AzureHttpRequest) => Promise<AzureHttpResponseInit>): Send {
  return async (req) => {
    const url = `https://outlet-func.azurewebsites.net${req.path}`;
    const init = await handler(new Request(url, { method: req.method, headers: req.headers, ...(req.body === undefined ? {} : { body: req.body }) }));
    const headers = new Headers(init.headers);
    const text = init.body instanceof Uint8Array ? Buffer.from(init.body).toString('utf8') : '';
    return { status: init.status, headers, text, body: bodyOf(text, headers.get('content-type')) };
  };
}
