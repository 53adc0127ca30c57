import { request, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { hostOfUrl } from '../config/egress-address.js';
import { replyError, type EgressContext } from './egress-context.js';

/** Headers that describe one hop, never forwarded (RFC 9110 section 7.6.1), plus the proxy's own. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade']);

/**
 * Handles a plain-HTTP proxy request (`GET http://host:port/path HTTP/1.1`): decides the
 * destination, then replays the request to the checked address. Each request on a kept-alive
 * client connection is decided on its own. The `Host` header is rewritten to the URL's host, so a
 * server sharing one address among many names answers for the name that was checked.
 *
 * @example
 * server.on('request', (req, res) => void forwardHttp(req, res, ctx));
 */
export async function forwardHttp(req: IncomingMessage, res: ServerResponse, ctx: EgressContext): Promise<void> {
  let target: URL;
  try {
    target = new URL(req.url ?? '');
  } catch {
    return replyError(res, 400, `expected an absolute http:// URL or CONNECT host:port, got "${req.url ?? ''}"`);
  }
  const host = hostOfUrl(target);
  if (target.protocol !== 'http:' || host === undefined) {
    return replyError(res, 400, `only http:// URLs are forwarded as requests (use CONNECT for https), got "${target.protocol}//"`);
  }
  const port = target.port === '' ? 80 : Number(target.port);
  const decision = await ctx.decide(host, port, req.method ?? 'GET');
  if (!decision.allowed) return replyError(res, decision.status, decision.reason);

  const upstream = request({
    host: decision.address,
    port,
    method: req.method,
    path: `${target.pathname}${target.search}`,
    headers: { ...withoutHopByHop(req.headers), host: target.host },
    setHost: false,
    agent: false,
    timeout: ctx.connectTimeoutMs,
  });
  upstream.on('socket', (socket) => ctx.track(socket));
  upstream.once('timeout', () => upstream.destroy(new Error(`no answer within ${ctx.connectTimeoutMs} ms`)));
  upstream.once('response', (answer) => {
    upstream.setTimeout(0);
    res.writeHead(answer.statusCode ?? 502, answer.statusMessage, withoutHopByHop(answer.headers));
    answer.pipe(res);
    answer.once('error', () => res.destroy());
  });
  upstream.on('error', (err) => replyError(res, 502, `cannot reach ${target.host}: ${(err as NodeJS.ErrnoException).code ?? err.message}`));
  res.once('close', () => upstream.destroy());
  req.pipe(upstream);
}

function withoutHopByHop(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const named = String(headers.connection ?? '')
    .split(',')
    .map((h) => h.trim().toLowerCase());
  const out: IncomingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name) && !named.includes(name)) out[name] = value;
  }
  return out;
}
