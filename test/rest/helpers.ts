import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { fetcherOf, type Fetcher } from '../helpers/mcp-request.js';

/** The schema fixture: tools whose input schemas use `$defs`/`$ref`, and one that answers isError. */
export const SCHEMA_SERVER = fileURLToPath(new URL('./fixtures/schema-server.mjs', import.meta.url));

/** What a REST call answered: status, headers and the parsed JSON body. */
export interface RestAnswer {
  status: number;
  headers: Headers;
  body: {
    success?: boolean;
    result?: { content?: Array<{ type: string; text?: string }>; structuredContent?: Record<string, unknown>; isError?: boolean };
    error?: string;
    code?: string;
    data?: Record<string, unknown>;
    latency_ms?: number;
    [key: string]: unknown;
  };
}

/** POSTs `body` (a string as is; anything else as JSON; undefined for no body) to /api/tools/<name> of `base` (a base URL or a test gateway's `fetch`). */
export async function callTool(base: string | Fetcher, name: string, body?: unknown, headers: Record<string, string> = {}): Promise<RestAnswer> {
  const init: RequestInit = { method: 'POST', headers: { 'content-type': 'application/json', ...headers } };
  if (body !== undefined) init.body = typeof body === 'string' ? body : body instanceof Uint8Array ? new Uint8Array(body) : JSON.stringify(body);
  const res = await fetcherOf(base)(`/api/tools/${encodeURIComponent(name)}`, init);
  return { status: res.status, headers: res.headers, body: (await res.json()) as RestAnswer['body'] };
}

/** GETs a JSON document from a path of the gateway at `base` (a base URL or a test gateway's `fetch`). */
export async function getJson<T>(base: string | Fetcher, path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: T }> {
  const res = await fetcherOf(base)(path, { headers });
  return { status: res.status, body: (await res.json()) as T };
}

/** A failure answer with this gateway code, for `toMatchObject`. */
export const failed = (code: string) => ({ success: false, code, error: expect.any(String), latency_ms: expect.any(Number) });
