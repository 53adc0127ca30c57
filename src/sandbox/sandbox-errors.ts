import { OutletError } from '../errors/index.js';

/**
 * The gateway code a missing or broken sandbox should carry. `SANDBOX_UNAVAILABLE` is proposed for
 * `src/errors/codes.ts` (JSON-RPC -32018, HTTP 503); until it lands, the nearest existing code is
 * used and the intended one rides in `data.sandboxCode`, so switching is a one-line change here.
 */
const UNAVAILABLE_CODE = 'UPSTREAM_UNAVAILABLE' as const;

/** How to get bubblewrap, quoted in every message about it. */
export const INSTALL_HINT = 'install bubblewrap (Debian/Ubuntu: apt-get install bubblewrap; Fedora: dnf install bubblewrap)';

/**
 * An error for a sandbox that cannot be built on this host.
 *
 * @example
 * throw sandboxUnavailable('bwrap was not found on PATH; install bubblewrap', { missing: 'bwrap' });
 */
export function sandboxUnavailable(message: string, data: Record<string, unknown> = {}, cause?: unknown): OutletError {
  return new OutletError(UNAVAILABLE_CODE, `sandbox unavailable: ${message}`, { sandboxCode: 'SANDBOX_UNAVAILABLE', ...data }, cause === undefined ? undefined : { cause });
}

/**
 * An error for a sandbox profile that cannot be honoured as written (a config problem).
 *
 * @example
 * throw sandboxConfigInvalid('sandbox.mounts[0].path must be absolute', { path: 'data' });
 */
export function sandboxConfigInvalid(message: string, data: Record<string, unknown> = {}): OutletError {
  return new OutletError('CONFIG_INVALID', message, data);
}
