import { NpmError } from './npm-client.js';

/** npm codes of a registry that could not be reached at all (as opposed to one that answered no). */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'ESOCKETTIMEDOUT', 'ERR_SOCKET_TIMEOUT']);

/**
 * A failed lookup or install in words a user can act on: the package that was not found, the
 * registry (by address) that could not be reached, the version no release matches, the auth
 * that was refused; npm's own summary otherwise.
 *
 * @example
 * describeFetchError(new NpmError('E404', 'Not Found - GET ...'), 'nope-pkg', 'https://registry.npmjs.org/');
 * // 'package "nope-pkg" was not found in the registry https://registry.npmjs.org/'
 */
export function describeFetchError(err: unknown, spec: string, registry: string): string {
  if (!(err instanceof NpmError)) return `fetching "${spec}" failed: ${err instanceof Error ? err.message : String(err)}`;
  if (err.code === 'E404') return `package "${spec}" was not found in the registry ${registry}`;
  if (err.code === 'ETARGET') return `no version of "${spec}" matches in the registry ${registry}`;
  if (err.code === 'E401' || err.code === 'E403') return `the registry ${registry} refused access to "${spec}" (${err.code}): check the auth in your npm config`;
  if (UNREACHABLE.has(err.code)) return `the registry ${registry} is unreachable (${err.code}) while fetching "${spec}": ${err.summary}`;
  if (err.code === 'ETIMEOUT') return `fetching "${spec}" from ${registry}: ${err.summary}`;
  return `fetching "${spec}" from ${registry} failed (${err.code}): ${err.summary}`;
}

/** True when the failure is the registry being out of reach, when a remembered version may stand in. */
export function isUnreachable(err: unknown): boolean {
  return err instanceof NpmError && (UNREACHABLE.has(err.code) || err.code === 'ETIMEOUT');
}
