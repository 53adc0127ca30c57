/**
 * Node's fetch (undici) rejects every network failure with the same `TypeError: fetch failed` and
 * hides what happened in `cause`: the errno and the address (`connect ECONNREFUSED 127.0.0.1:8080`),
 * the name that did not resolve, the certificate that was refused, the connect timeout. These
 * helpers bring that cause into the message a user reads in `/ready` and in errors.
 */

/** Where a request went, fit to print: origin and path only (userinfo and query may carry secrets). */
export function printableAddress(url: string | URL): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return '(unparsable URL)';
  }
}

interface SystemErrorLike {
  message?: string;
  code?: string;
  errors?: unknown[];
  /** OpenSSL's short reason (`wrong version number`), whose message is a raw OpenSSL error line. */
  reason?: string;
}

/**
 * The words of a fetch failure's cause: the system error's message with its code when the message
 * does not already carry it; for several addresses tried in turn (an AggregateError), each one.
 *
 * @example
 * describeFetchCause(Object.assign(new Error('self-signed certificate'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }));
 * // 'self-signed certificate (DEPTH_ZERO_SELF_SIGNED_CERT)'
 */
export function describeFetchCause(cause: unknown): string | undefined {
  if (typeof cause !== 'object' || cause === null) return typeof cause === 'string' && cause ? cause : undefined;
  const e = cause as SystemErrorLike;
  if (Array.isArray(e.errors) && e.errors.length > 0) {
    const each = [...new Set(e.errors.map(describeFetchCause).filter((t): t is string => t !== undefined))];
    if (each.length > 0) return each.join('; ');
  }
  const message = typeof e.reason === 'string' && e.code?.startsWith('ERR_SSL_') ? `TLS handshake failed: ${e.reason}` : e.message?.trim();
  if (message && e.code && !message.includes(e.code)) return `${message} (${e.code})`;
  return message || e.code;
}

/**
 * A fetch that, when the network fails, rejects with a NetworkError naming the cause and the
 * address (`connect ECONNREFUSED 127.0.0.1:8080 (http://127.0.0.1:8080/mcp)`) instead of
 * `fetch failed`. Aborts and HTTP answers pass through untouched.
 */
export function explainingFetch(inner: typeof fetch = fetch): typeof fetch {
  return async (input, init) => {
    try {
      return await inner(input, init);
    } catch (err) {
      throw explainFetchError(err, input instanceof Request ? input.url : input);
    }
  };
}

/** A network failure of an upstream request, said with its cause and address; `code` is the errno when there is one. */
export class NetworkError extends Error {
  override readonly name = 'NetworkError';
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

/**
 * The explained form of one fetch rejection, or the error itself when it is not a network failure.
 * No `cause` is attached: the SSE client flattens a cause chain into the message, which would say
 * the same thing twice.
 */
export function explainFetchError(err: unknown, url: string | URL): unknown {
  if (!(err instanceof TypeError) || !('cause' in err)) return err;
  const cause = err.cause as { message?: string; code?: string } | undefined;
  // undici's word for a port the Fetch standard blocks (its "bad port" list: 9, 25, 6000, ...).
  const why = cause?.message === 'bad port' ? `port ${new URL(url).port} is blocked by fetch (a "bad port" of the Fetch standard)` : describeFetchCause(cause);
  if (!why) return err;
  return new NetworkError(`${why} (${printableAddress(url)})`, typeof cause?.code === 'string' ? cause.code : undefined);
}
