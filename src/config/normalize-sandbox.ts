import { resolve } from 'node:path';
import { isOutletError } from '../errors/index.js';
import { resolveSandboxProfile, type SandboxProfile, type SandboxProfileInput } from '../sandbox/index.js';
import { formatPath, type ConfigIssue, type PathSegment } from './issues.js';

/**
 * A sandbox block with its paths made absolute: `mounts[].path` and `scratch` are relative to the
 * config file's directory, like `cwd`, so a config can be moved together with its data.
 *
 * @example
 * absoluteSandbox({ mounts: [{ path: 'data', mode: 'rw' }] }, '/etc/outlet'); // { mounts: [{ path: '/etc/outlet/data', mode: 'rw' }] }
 */
export function absoluteSandbox(input: SandboxProfileInput | undefined, baseDir: string): SandboxProfileInput {
  if (input === undefined) return {};
  return {
    ...input,
    ...(input.mounts ? { mounts: input.mounts.map((m) => ({ ...m, path: resolve(baseDir, m.path) })) } : {}),
    ...(input.scratch !== undefined ? { scratch: resolve(baseDir, input.scratch) } : {}),
  };
}

/**
 * Resolves one stdio entry's sandbox over the gateway default, reporting a failure at the entry's
 * `sandbox` key. The default backend is decided here, once per load: bubblewrap when a working
 * bwrap is found, else "none" (the supervisor then logs a loud warning at each spawn).
 *
 * @example
 * resolveServerSandbox({ network: 'host' }, {}, ['servers', 'fs', 'sandbox']);
 * // { profile: { backend: 'bubblewrap', network: 'host', ... }, issues: [] }
 */
export function resolveServerSandbox(
  input: SandboxProfileInput,
  defaults: SandboxProfileInput,
  at: PathSegment[],
): { profile?: SandboxProfile; issues: ConfigIssue[] } {
  try {
    return { profile: resolveSandboxProfile(input, { defaults }), issues: [] };
  } catch (err) {
    if (!isOutletError(err)) throw err;
    return { issues: [{ path: formatPath(at), message: err.message }] };
  }
}
