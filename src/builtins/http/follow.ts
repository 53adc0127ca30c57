import type { Answer } from './exchange.js';
import { exchange } from './exchange.js';
import { checkDestination, type GuardOptions } from './destination.js';
import { openConnection } from './open-connection.js';
import { proxyFor } from './proxy-env.js';

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/** Credentials meant for one origin, dropped when a redirect leaves it. */
const ORIGIN_BOUND = ['authorization', 'cookie'];

export interface RequestPlan {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: Buffer;
  followRedirects: boolean;
  maxRedirects: number;
  maxBytes: number;
  signal: AbortSignal;
}

/**
 * Sends a request and follows its redirects by hand, each Location checked like the first URL
 * (allowlist, scheme, credentials, address) before anything is sent to it: a listed host cannot
 * bounce the call to one that is not. Redirects are bounded by maxRedirects.
 */
export async function follow(plan: RequestPlan, guard: GuardOptions, env: NodeJS.ProcessEnv = process.env): Promise<Answer & { url: string; redirects: string[] }> {
  let { method, url, body } = plan;
  const headers = { ...plan.headers };
  const redirects: string[] = [];
  for (;;) {
    const argument = redirects.length === 0 ? 'url' : `redirect ${redirects.length} (Location "${url}")`;
    const destination = await checkDestination(url, argument, guard);
    const connection = await openConnection(destination, proxyFor(destination.url.protocol, env), plan.signal);
    const follows = (status: number): boolean => plan.followRedirects && REDIRECTS.has(status);
    const answer = await exchange(connection, destination, { method, headers, ...(body ? { body } : {}), maxBytes: plan.maxBytes, signal: plan.signal, keepBody: (status) => !follows(status) });
    const location = answer.headers.location;
    if (!follows(answer.status) || location === undefined) return { ...answer, url: destination.url.href, redirects };
    if (redirects.length >= plan.maxRedirects) throw new Error(`more than ${plan.maxRedirects} redirects (maxRedirects); the last one pointed to "${location}"`);
    let next: URL;
    try {
      next = new URL(location, destination.url);
    } catch {
      throw new Error(`redirect ${redirects.length + 1}: "${location}" from ${destination.url.href} is not a URL`);
    }
    if (next.origin !== destination.url.origin) for (const name of ORIGIN_BOUND) delete headers[name];
    // RFC 9110 section 15.4: 303 always, and 301/302 after POST in practice, turn into GET without a body.
    if (answer.status === 303 || ((answer.status === 301 || answer.status === 302) && method === 'POST')) {
      if (method !== 'HEAD') method = 'GET';
      body = undefined;
      delete headers['content-type'];
    }
    redirects.push(next.href);
    url = next.href;
  }
}

/** The body as text when it is text (by its type, and valid UTF-8), else base64. */
export function encodeBody(body: Buffer, contentType: string | undefined): { body: string; bodyEncoding: 'text' | 'base64' } {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  const textual = type === '' || type.startsWith('text/') || /^application\/(json|xml|javascript|ecmascript|x-www-form-urlencoded|x-ndjson|problem\+json)$/.test(type) || /\+(json|xml)$/.test(type);
  if (textual && !body.includes(0)) {
    try {
      // stream: a multi-byte character cut by the size cap is left out, not an error.
      return { body: new TextDecoder('utf-8', { fatal: true }).decode(body, { stream: true }), bodyEncoding: 'text' };
    } catch {
      // not UTF-8: fall through to base64
    }
  }
  return { body: body.toString('base64'), bodyEncoding: 'base64' };
}
