import { serveWith, type ServerlessOutlet } from './app-factory.js';
import { refuseOpenStream } from './open-streams.js';

/** The part of an Azure Functions v4 `HttpRequest` read here (it is Fetch-like, built on undici). */
export interface AzureHttpRequest {
  method: string;
  url: string;
  headers: Iterable<[string, string]>;
  arrayBuffer(): Promise<ArrayBuffer>;
}

/** The part of an Azure Functions v4 `HttpResponseInit` produced here. */
export interface AzureHttpResponseInit {
  status: number;
  /** Name/value pairs, so each Set-Cookie stays its own header. */
  headers: [string, string][];
  body?: Uint8Array | ReadableStream<Uint8Array>;
}

export interface AzureHandlerOptions {
  /**
   * A route prefix to take off the path. Azure puts every HTTP function under `/api` unless
   * host.json sets `extensions.http.routePrefix` to ""; the outlet has `/api/...` routes of its
   * own, so the empty prefix is the better fix, and this the alternative (`'/api'`).
   */
  basePath?: string;
  /**
   * Pass response bodies through as streams. Only with `app.setup({ enableHttpStream: true })`;
   * otherwise Azure buffers, and requests for streams that stay open are refused at once.
   */
  stream?: boolean;
}

function stripBase(url: URL, basePath: string | undefined): URL {
  const base = basePath?.replace(/\/+$/, '');
  if (!base || (url.pathname !== base && !url.pathname.startsWith(`${base}/`))) return url;
  const out = new URL(url);
  out.pathname = url.pathname.slice(base.length) || '/';
  return out;
}

/** A Web Response as an Azure response: the body buffered, or passed on as a stream when streaming is on. */
export async function responseInitOf(response: Response, stream: boolean): Promise<AzureHttpResponseInit> {
  const headers: [string, string][] = [];
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') headers.push([name, value]);
  });
  for (const cookie of response.headers.getSetCookie()) headers.push(['set-cookie', cookie]);
  if (!response.body) return { status: response.status, headers };
  return { status: response.status, headers, body: stream ? response.body : new Uint8Array(await response.arrayBuffer()) };
}

/**
 * An Azure Functions v4 HTTP trigger `(request, context) => HttpResponseInit` over the outlet's
 * HTTP app. Register it in the function app's own entry (the Azure SDK is not a dependency here):
 *   app.http('outlet', { route: '{*path}', methods: ['GET', 'POST', 'DELETE'], authLevel: 'anonymous', handler });
 */
export function createAzureHandler(outlet: () => Promise<ServerlessOutlet>, options: AzureHandlerOptions = {}): (request: AzureHttpRequest, context?: unknown) => Promise<AzureHttpResponseInit> {
  return async (request) => {
    try {
      const method = request.method.toUpperCase();
      const bytes = method === 'GET' || method === 'HEAD' ? undefined : new Uint8Array(await request.arrayBuffer());
      const web = new Request(stripBase(new URL(request.url), options.basePath), {
        method,
        headers: new Headers([...request.headers]),
        ...(bytes && bytes.byteLength > 0 ? { body: bytes } : {}),
      });
      const response = (options.stream ? undefined : await refuseOpenStream(web)) ?? (await serveWith(outlet, web));
      return await responseInitOf(response, options.stream ?? false);
    } catch (err) {
      const body = new TextEncoder().encode(JSON.stringify({ ok: false, error: `internal error: ${err instanceof Error ? err.message : String(err)}` }));
      return { status: 500, headers: [['content-type', 'application/json']], body };
    }
  };
}
