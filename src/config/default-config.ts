import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { buildConfig } from './parse-config.js';
import type { OutletConfig, StdioServerConfig } from './types.js';
import { handToSandbox } from './workspace-owner.js';

const require = createRequire(import.meta.url);

/**
 * Entry script of an installed MCP server package. Resolved through `package.json` (which every
 * package exposes) rather than the package's main export, so it works whatever the package's
 * `exports` map says, and runs with this very Node binary: no npx, no network.
 */
function packageEntry(pkg: string): string {
  return join(dirname(require.resolve(`${pkg}/package.json`)), 'dist', 'index.js');
}

/**
 * The embedded configuration `npm start` uses when no file is given: the reference filesystem
 * server (confined to the workspace directory) and the reference memory server (its knowledge
 * graph stored in the workspace), listening on 127.0.0.1:3000. Creates the workspace if missing.
 * Both run sandboxed by default: the filesystem server gets the workspace writable because it is
 * a directory argument (the sandbox's data-directory rule); the memory server names its file in
 * `env`, which no rule reads, so its mount is explicit. As root the workspace is handed to the
 * sandbox uid, which the servers run as.
 *
 * @example
 * const config = defaultConfig({ workspaceDir: '/tmp/outlet-workspace' });
 * Object.keys(config.servers); // ['filesystem', 'memory']
 */
export function defaultConfig(opts: { workspaceDir?: string } = {}): OutletConfig {
  const workspace = resolve(opts.workspaceDir ?? join(process.cwd(), 'workspace'));
  mkdirSync(workspace, { recursive: true });
  // buildConfig, not parseConfig: these paths are data, and a "${" in one must not be interpolated.
  const config = buildConfig(
    {
      listen: { host: '127.0.0.1', port: 3000 },
      servers: {
        filesystem: { command: process.execPath, args: [packageEntry('@modelcontextprotocol/server-filesystem'), workspace] },
        memory: {
          command: process.execPath,
          args: [packageEntry('@modelcontextprotocol/server-memory')],
          env: { MEMORY_FILE_PATH: join(workspace, 'memory.jsonl') },
          // The server writes a temp file beside the graph and renames it: the directory must be writable.
          sandbox: { mounts: [{ path: workspace, mode: 'rw' }] },
        },
      },
    },
    { baseDir: workspace },
  );
  const profile = (config.servers.filesystem as StdioServerConfig).sandbox;
  if (profile.backend === 'bubblewrap') handToSandbox(workspace, profile);
  return config;
}
