import { dirname, resolve } from 'node:path';
import { isOutletError } from '../errors/index.js';
import { formatPath, type ConfigIssue, type PathSegment } from './issues.js';
import { resolveSandboxProfile } from './resolve-sandbox-profile.js';
import type { SandboxProfile } from './sandbox-profile.js';
import type { SandboxProfileInput } from './sandbox-schema.js';
import type { OutletConfig } from './types.js';

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
 * bwrap is found, else "none" (the supervisor then logs a loud warning at each spawn); the host is
 * measured by the probe the sandbox runtime provides (sandbox-host.ts).
 *
 * @example
 * resolveServerSandbox({ network: 'host' }, {}, ['servers', 'fs', 'sandbox']);
 * // { profile: { backend: 'bubblewrap', network: 'host', ... }, issues: [] }
 */
export function resolveServerSandbox(
  input: SandboxProfileInput,
  defaults: SandboxProfileInput,
  at: PathSegment[],
  hide: string[] = [],
): { profile?: SandboxProfile; issues: ConfigIssue[] } {
  try {
    return { profile: resolveSandboxProfile(input, { defaults, hide }), issues: [] };
  } catch (err) {
    if (!isOutletError(err)) throw err;
    return { issues: [{ path: formatPath(at), message: err.message }] };
  }
}

/** The parts of a config that name files the gateway reads or writes. */
export interface GatewayFileSources {
  /** The config file itself (absolute), when it came from one. */
  source?: string;
  /** Already absolute (normalizeSecurity). */
  pinning?: { lockFile: string };
  audit?: { file: string };
  /** As written; relative to the config file's directory, as the observer resolves it. */
  observabilityAudit?: string;
}

/**
 * The files no server may see (SandboxProfile.hide): the config file, which holds every server's
 * `env` secrets; the pin lock file, configured or the default one `outlet pin` writes next to the
 * config; the security and observability audit files. A file that does not exist yet is listed
 * too: its directory then shows a server only what was there when it started.
 *
 * @example
 * gatewayFiles({ source: '/etc/outlet/outlet.json' }); // ['/etc/outlet/outlet.json', '/etc/outlet/outlet.lock.json']
 */
export function gatewayFiles(from: GatewayFileSources): string[] {
  const dir = from.source !== undefined ? dirname(from.source) : undefined;
  const files = [
    from.source,
    from.pinning?.lockFile ?? (dir !== undefined ? resolve(dir, 'outlet.lock.json') : undefined),
    from.audit?.file,
    from.observabilityAudit !== undefined ? resolve(dir ?? process.cwd(), from.observabilityAudit) : undefined,
  ];
  return [...new Set(files.filter((f): f is string => f !== undefined))];
}

/**
 * gatewayFiles of a normalized config: for entries parsed after the load (an `/rpc` inline server).
 *
 * @example
 * parseServerEntry('inline', raw, config, at); // passes gatewayFiles: gatewayFilesOf(config)
 */
export function gatewayFilesOf(config: Pick<OutletConfig, 'source' | 'pinning' | 'audit' | 'observability'>): string[] {
  return gatewayFiles({
    ...(config.source !== undefined ? { source: config.source } : {}),
    ...(config.pinning ? { pinning: config.pinning } : {}),
    ...(config.audit ? { audit: config.audit } : {}),
    ...(config.observability.audit.path !== undefined ? { observabilityAudit: config.observability.audit.path } : {}),
  });
}
