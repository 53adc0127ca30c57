import { OutletError } from '../errors/index.js';

/** How to get bubblewrap, quoted in every message about it. */
export const INSTALL_HINT = 'install bubblewrap (Debian/Ubuntu: apt-get install bubblewrap; Fedora: dnf install bubblewrap)';

/**
 * An error for a sandbox that cannot be built on this host.
 *
 * @example
 * throw sandboxUnavailable('bwrap was not found on PATH; install bubblewrap', { missing: 'bwrap' });
 */
export function sandboxUnavailable(message: string, data: Record<string, unknown> = {}, cause?: unknown): OutletError {
  return new OutletError('SANDBOX_UNAVAILABLE', `sandbox unavailable: ${message}`, data, cause === undefined ? undefined : { cause });
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
