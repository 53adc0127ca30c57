import npa from 'npm-package-arg';

/** The package name a launcher argument names, or why it is not a plain registry spec. */
export type SpecName = { name: string } | { refused: string };

/** npm spec types that fetch a named package from the configured registry. */
const REGISTRY_TYPES = new Set(['version', 'range', 'tag']);

/**
 * Reads an npm package spec the way npm itself does (npm-package-arg), and accepts only a registry
 * spec: a name with an optional version, range or tag. Everything else names code that the
 * allowlist cannot speak for: `file:` and directory specs run whatever lies on disk (a file planted
 * in a shared cache), `git+`/URL specs fetch from anywhere, and `npm:` aliases run another package
 * under an allowed name (`@allowed/pkg@npm:evil`).
 *
 * @example
 * npmSpecName('@scope/pkg@^2'); // { name: '@scope/pkg' }
 * npmSpecName('@scope/pkg@file:/tmp/evil.tgz'); // { refused: '... a "file" spec ...' }
 */
export function npmSpecName(spec: string): SpecName {
  let parsed: npa.Result;
  try {
    parsed = npa(spec);
  } catch (err) {
    return { refused: `${JSON.stringify(spec)} is not a package spec npm accepts (${(err as Error).message})` };
  }
  if (!parsed.type || !REGISTRY_TYPES.has(parsed.type) || !parsed.name) {
    return { refused: `${JSON.stringify(spec)} is not a registry spec (npm reads it as a "${parsed.type ?? 'unknown'}" spec); inline servers may run only registry packages by name (name, name@version, name@range or name@tag)` };
  }
  return { name: parsed.name };
}

/**
 * A Python requirement as uvx and pipx take it, kept to the one form the allowlist can check: a
 * PEP 508 name, optional extras, and an optional version (`==1.0`, `>=1,<2`, or uv's `@1.0` /
 * `@latest`). Direct references (`name @ https://...`, `name@file:...`), paths and markers are
 * refused: they fetch code that is not the registry package of that name.
 */
const PY_NAME = '[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?';
const PY_VERSION = '[A-Za-z0-9.*+!_-]+';
const PY_CLAUSE = `(?:===|==|!=|~=|>=|<=|<|>)${PY_VERSION}`;
const PY_SPEC = new RegExp(`^(${PY_NAME})(?:\\[${PY_NAME}(?:,${PY_NAME})*\\])?(?:@${PY_VERSION}|${PY_CLAUSE}(?:,${PY_CLAUSE})*)?$`);

/** PEP 503 normalized form: case and runs of `-_.` do not tell two projects apart. */
export function normalizePythonName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/**
 * @example
 * pythonSpecName('mcp-server-time==1.0'); // { name: 'mcp-server-time' }
 * pythonSpecName('evil @ https://x/evil.whl'); // { refused: ... }
 */
export function pythonSpecName(spec: string): SpecName {
  const match = PY_SPEC.exec(spec);
  if (!match) {
    return { refused: `${JSON.stringify(spec)} is not a plain Python requirement; inline servers may run only index packages by name (name, name==version, name@version)` };
  }
  return { name: normalizePythonName(match[1]!) };
}
