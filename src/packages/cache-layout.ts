import { createHash } from 'node:crypto';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';

/**
 * The cache directory when `packages.cacheDir` is not set: $XDG_CACHE_HOME when set (XDG base
 * directory spec), else, for root, the system cache /var/cache (FHS 5.5), else ~/.cache. Root's
 * ~/.cache sits under /root (mode 0700), which the sandbox uid a root gateway drops to cannot
 * traverse, so every fetched server would fail to start there; /var/cache can be traversed.
 */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env, root = process.getuid?.() === 0): string {
  const xdg = env.XDG_CACHE_HOME;
  const base = xdg && isAbsolute(xdg) ? xdg : root ? '/var/cache' : join(homedir(), '.cache');
  return join(base, 'mcp-outlet', 'packages');
}

/** Where one set of resolved npm packages is installed: readable names for one package, a hash for several. */
export function installDir(cacheDir: string, resolved: readonly string[]): string {
  const [only] = resolved;
  const leaf = resolved.length === 1 && only ? only.replace('/', '+') : `set-${createHash('sha256').update([...resolved].sort().join('\n')).digest('hex').slice(0, 16)}`;
  return join(cacheDir, 'npm', leaf);
}

/**
 * The file that remembers what a tag or range resolved to. Not keyed by registry: a mirror serves
 * the same releases, and a registry made unreachable by pointing npm elsewhere must not turn a
 * warm cache cold.
 */
export function resolvedFile(cacheDir: string, name: string, wanted: string): string {
  const key = createHash('sha256').update(`${name}@${wanted}`).digest('hex').slice(0, 24);
  return join(cacheDir, 'npm', 'resolved', `${key}.json`);
}
