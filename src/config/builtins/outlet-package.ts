import { fileURLToPath } from 'node:url';

/**
 * The folder that must be visible for `outlet builtin <name>` to load: this package, or, when it is
 * installed under node_modules, the project above it (its dependencies are hoisted there). Built-ins
 * that turn `autoMounts` off bind it themselves, so that the config's own folder (the default cwd)
 * stays out of their cage.
 */
export function outletPackageRoot(): string {
  const root = fileURLToPath(new URL('../../../', import.meta.url)).replace(/\/$/, '');
  const at = root.indexOf('/node_modules/');
  return at > 0 ? root.slice(0, at) : root;
}
