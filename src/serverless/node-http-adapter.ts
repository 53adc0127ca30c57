import type { IncomingMessage, ServerResponse } from 'node:http';
import { serveWith, type ServerlessOutlet } from './app-factory.js';

/**
 * The request a Google Cloud Functions (or any Express-style) HTTP handler receives: a Node
 * request whose body a framework may already have read, keeping the bytes in `rawBody` (the
 * Functions Framework does) or a parsed `body`.
 */
export type NodeStyleRequest = IncomingMessage & { rawBody?: Uint8Array; body?: unknown; originalUrl?: string };

async function bodyOf(req: NodeStyleRequest, method: string): Promise<Uint8Array<ArrayBuffer> | undefined> {
  if (method === 'GET' || method === 'HEAD') return undefined;
  let bytes: Uint8Array<ArrayBuffer> | undefined;
  if (req.rawBody) bytes = new Uint8Array(req.rawBody);
  else if (!req.readableEnded) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
    bytes = Buffer.concat(chunks);
  } else if (typeof req.body === 'string' || req.body instanceof Uint8Array) bytes = Buffer.from(req.body);
  // Last resort, a body parser kept only the parsed value: JSON is what the outlet reads anyway.
  else if (req.body !== undefined) bytes = Buffer.from(JSON.stringify(req.body));
  return bytes && bytes.byteLength > 0 ? bytes : undefined;
}

/** A Node request as a Web Request; `signal` ends the app's work when the client goes away. */
export async function webRequestOf(req: NodeStyleRequest, signal?: AbortSignal): Promise<Request> {
  const method = (req.method ?? 'GET').toUpperCase();
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else if (value !== undefined) headers.set(name, value);
  }
  const proto = headers.get('x-forwarded-proto')?.split(',')[0]?.trim() || 'https';
  const url = new URL(req.originalUrl ?? req.url ?? '/', `${proto}://${headers.get('host') ?? 'localhost'}`);
  const body = await bodyOf(req, method);
  return new Request(url, { method, headers, ...(body ? { body } : {}), ...(signal ? { signal } : {}) });
}

/**
 * Writes a Web Response to a Node response, streaming the body as it comes (Cloud Functions and
 * Cloud Run pass a stream through, so an SSE answer reaches the client event by event). A client
 * that disconnects cancels the rest.
 */
export async function writeWebResponse(response: Response, res: ServerResponse): Promise<void> {
  res.statusCode = response.status;
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') res.setHeader(name, value);
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length) res.setHeader('set-cookie', cookies);
  if (!response.body) {
    res.end();
    return;
  }
  res.flushHeaders();
  const reader = response.body.getReader();
  const onClose = () => void reader.cancel().catch(() => undefined);
  res.once('close', onClose);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done || res.destroyed) break;
      res.write(value);
    }
  } finally {
    res.off('close', onClose);
    res.end();
  }
}

/** A `(req, res)` handler over the outlet's HTTP app. It never rejects: a failure is a 500 with its reason. */
export function createNodeHttpHandler(outlet: () => Promise<ServerlessOutlet>): (req: NodeStyleRequest, res: ServerResponse) => Promise<void> {
  return async (req, res) => {
    const aborted = new AbortController();
    res.once('close', () => {
      if (!res.writableFinished) aborted.abort();
    });
    try {
      await writeWebResponse(await serveWith(outlet, await webRequestOf(req, aborted.signal)), res);
    } catch (err) {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      res.statusCode = 500;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ ok: false, error: `internal error: ${err instanceof Error ? err.message : String(err)}` }));
    }
  };
}
