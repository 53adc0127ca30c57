/** A package named by registry name and a version, range or tag. */
export interface RegistrySpec {
  name: string;
  /** `1.2.3`, `^1`, `latest`...; `latest` when the spec gives none. */
  wanted: string;
  /** True when `wanted` is one exact version: the cache answers without the registry. */
  exact: boolean;
}

// npm's own name rules: lower case, URL-safe, an optional scope.
const NAME = /^(?:@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/;
// A version, a semver range, or a dist-tag: never a path, URL, git or alias (those have : or /).
const WANTED = /^[A-Za-z0-9.^~<>=| *_+-]+$/;
const EXACT = /^v?\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

/**
 * Reads `name[@version|range|tag]`. Only registry specs are fetched: a `file:`, git, URL or `npm:`
 * alias spec would install something other than the name says (and skip the allowlists that go
 * by name), so it is refused with a message that says which.
 *
 * @example
 * parseRegistrySpec('@modelcontextprotocol/server-memory@2026.8.31'); // { name: '@modelcontextprotocol/server-memory', wanted: '2026.8.31', exact: true }
 */
export function parseRegistrySpec(spec: string): RegistrySpec {
  const at = spec.indexOf('@', spec.startsWith('@') ? 1 : 0);
  const name = at > 0 ? spec.slice(0, at) : spec;
  const wanted = at > 0 ? spec.slice(at + 1) : 'latest';
  if (!NAME.test(name) || !WANTED.test(wanted) || wanted.trim() === '') {
    throw new Error(`"${spec}" is not a registry package spec (name, name@version, name@range or name@tag); file:, git, URL and alias specs are not fetched`);
  }
  return { name, wanted, exact: EXACT.test(wanted) };
}

/** True for one exact version (`1.2.3`, `1.2.3-rc.1`): what a registry's answer must be before it names a directory. */
export function isExactVersion(version: string): boolean {
  return EXACT.test(version);
}
