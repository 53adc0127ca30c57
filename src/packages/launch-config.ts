import type { ServerConfig } from '../config/index.js';
import { OutletError } from '../errors/index.js';
import { blockingDirectory, canAccess } from '../sandbox/host-access.js';
import type { PrepareHooks } from './package-fetcher.js';
import type { PackageSource } from './package-source.js';

type StdioServer = Extract<ServerConfig, { transport: 'stdio' }>;

/**
 * The config one process of `server` is started with: a launcher entry becomes its package's
 * binary from the shared cache (fetched first if needed), everything else is left as written.
 * The caller binds `packageDir` read-only into the sandbox (and nothing else of the cache). A root
 * gateway drops to the sandbox uid, which must be able to reach that directory.
 */
export async function launchConfig(server: StdioServer, fetcher: PackageSource, hooks: PrepareHooks, root: boolean): Promise<{ config: StdioServer; packageDir?: string; packages?: string[] }> {
  const launch = await fetcher.prepare(server.name, server.command, server.args, hooks);
  if (!launch) return { config: server };
  const owner = { uid: server.sandbox.uid, gid: server.sandbox.gid };
  if (root && server.sandbox.backend === 'bubblewrap' && !canAccess(launch.packageDir, owner, 'rx')) {
    const blocking = blockingDirectory(launch.packageDir, owner) ?? launch.packageDir;
    throw new OutletError(
      'UPSTREAM_UNAVAILABLE',
      `server "${server.name}": the package cache ${fetcher.cacheDir} is not reachable by the sandbox uid ${owner.uid} (${blocking} does not let it through); set packages.cacheDir to a directory that uid can traverse, e.g. /var/cache/mcp-outlet/packages`,
      { server: server.name, path: blocking },
    );
  }
  return { config: { ...server, command: launch.command, args: launch.args }, packageDir: launch.packageDir, packages: launch.packages };
}
