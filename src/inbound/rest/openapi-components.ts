import { ERROR_TABLE } from '../../errors/index.js';
import { TOOL_ERROR_CODE } from './rest-responses.js';

/**
 * The parts of the gateway's OpenAPI document that do not depend on the catalog: the REST
 * envelopes (success, failure, tool listing) and the error responses every tool shares, so each
 * operation only names them.
 */

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: unknown) => ({ 'application/json': { schema } });

export const SHARED_SCHEMAS: Record<string, unknown> = {
  CallToolResult: {
    type: 'object',
    description: 'The MCP CallToolResult as the tool returned it (content blocks, optional structured content).',
    properties: {
      content: { type: 'array', items: { type: 'object', required: ['type'], properties: { type: { type: 'string' } } } },
      structuredContent: { type: 'object' },
      isError: { type: 'boolean' },
      _meta: { type: 'object' },
    },
  },
  ToolCallSuccess: {
    type: 'object',
    required: ['success', 'result', 'latency_ms'],
    properties: { success: { const: true }, result: ref('CallToolResult'), latency_ms: { type: 'number', minimum: 0 } },
  },
  ToolCallFailure: {
    type: 'object',
    required: ['success', 'error', 'code', 'latency_ms'],
    properties: {
      success: { const: false },
      error: { type: 'string', description: 'What went wrong; for a tool error, the text the tool returned.' },
      code: { type: 'string', enum: [...Object.keys(ERROR_TABLE), TOOL_ERROR_CODE], description: 'The gateway error code (docs/errors.md); TOOL_ERROR when the tool itself reported an error.' },
      latency_ms: { type: 'number', minimum: 0 },
      result: { ...ref('CallToolResult'), description: 'Present with TOOL_ERROR: the full result the tool returned.' },
      data: { type: 'object', description: 'Details of the error (e.g. retryAfterSeconds), when the gateway has any.' },
    },
  },
  ListedTool: {
    type: 'object',
    required: ['name', 'server', 'inputSchema'],
    properties: {
      name: { type: 'string', description: 'The published (namespaced) name; POST /api/tools/{name} calls it.' },
      title: { type: 'string' },
      description: { type: 'string' },
      server: { type: 'string', description: 'The configured server that owns the tool.' },
      inputSchema: { type: 'object', description: 'JSON Schema of the arguments.' },
      outputSchema: { type: 'object', description: 'JSON Schema of structuredContent, when the tool declares one.' },
      annotations: { type: 'object' },
    },
  },
  ToolList: { type: 'object', required: ['tools'], properties: { tools: { type: 'array', items: ref('ListedTool') } } },
  OAuthError: {
    type: 'object',
    description: 'RFC 6750 error body of a request without valid credentials.',
    properties: { error: { type: 'string' }, error_description: { type: 'string' } },
  },
};

const failure = (description: string) => ({ description, content: json(ref('ToolCallFailure')) });

export const SHARED_RESPONSES: Record<string, unknown> = {
  BadRequest: failure('The body is not JSON (PARSE_ERROR), not a JSON object, or the arguments do not fit the input schema (INVALID_PARAMS).'),
  Unauthenticated: {
    description: 'No valid credentials.',
    headers: { 'WWW-Authenticate': { description: 'The bearer challenge, with the protected-resource metadata URL.', schema: { type: 'string' } } },
    content: json(ref('OAuthError')),
  },
  Forbidden: failure('The credentials lack an OAuth scope a policy requires (INSUFFICIENT_SCOPE), or the tool is withheld until re-approved (TOOL_WITHHELD).'),
  NotFound: failure('No tool of that name that this caller may use (UNKNOWN_TOOL).'),
  PayloadTooLarge: failure('The body exceeds http.maxBodyBytes (PAYLOAD_TOO_LARGE).'),
  ToolError: failure('The tool ran and reported an error (isError): `error` is its text, `result` the full result (TOOL_ERROR).'),
  RateLimited: {
    ...failure('A rate limit was reached (RATE_LIMITED).'),
    headers: { 'Retry-After': { description: 'Seconds to wait before retrying.', schema: { type: 'integer', minimum: 0 } } },
  },
  UpstreamFailure: failure('The server behind the tool is not connected, closed the connection, or failed (UPSTREAM_*).'),
  Unavailable: failure('No capacity now, or the gateway is shutting down (GATEWAY_BUSY, SHUTTING_DOWN).'),
  UpstreamTimeout: failure('The server behind the tool did not answer in time (UPSTREAM_TIMEOUT).'),
  Failure: failure('Any other failure, e.g. an unexpected gateway fault (INTERNAL).'),
};

const response = (name: string) => ({ $ref: `#/components/responses/${name}` });

/** The error responses of `POST /api/tools/<name>`; 401 and 403 only when credentials are checked. */
export function toolErrorResponses(auth: boolean): Record<string, unknown> {
  return {
    '400': response('BadRequest'),
    ...(auth ? { '401': response('Unauthenticated'), '403': response('Forbidden') } : {}),
    '404': response('NotFound'),
    '413': response('PayloadTooLarge'),
    '422': response('ToolError'),
    '429': response('RateLimited'),
    '502': response('UpstreamFailure'),
    '503': response('Unavailable'),
    '504': response('UpstreamTimeout'),
    default: response('Failure'),
  };
}

/** The error responses of `GET /api/tools`. */
export function listErrorResponses(auth: boolean): Record<string, unknown> {
  return { ...(auth ? { '401': response('Unauthenticated') } : {}), '429': response('RateLimited'), default: response('Failure') };
}
