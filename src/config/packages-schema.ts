import * as z from 'zod';

/**
 * The `packages` section: how the outlet fetches the packages that launcher entries (`npx -y`,
 * `bunx`, `pnpm dlx`) name. The outlet installs them itself, outside every server's sandbox, into
 * one persistent cache that servers see read-only; servers never fetch anything themselves.
 */
export const packagesSchema = z
  .strictObject({
    cacheDir: z
      .string()
      .min(1)
      .optional()
      .describe(
        'Where fetched packages are installed, one directory per package and version, shared by every server and kept across restarts. Default: $XDG_CACHE_HOME/mcp-outlet/packages, else /var/cache/mcp-outlet/packages for root, else ~/.cache/mcp-outlet/packages.',
      ),
    installTimeoutMs: z
      .int()
      .positive()
      .default(300_000)
      .describe('Longest one package install (or registry lookup) may take, in milliseconds; separate from upstream.connectTimeoutMs, which starts counting after it. Default: 300000.'),
    registry: z
      .url()
      .optional()
      .describe("npm registry URL to fetch from. Default: the registry of the gateway user's npm config (.npmrc, npm_config_registry), whose auth is used too and never shown to servers."),
    allowScripts: z
      .boolean()
      .default(false)
      .describe(
        'Run the install scripts of fetched packages (they run as the gateway user, outside the sandbox: only for packages you trust). When false, scripts are skipped and the packages that wanted them are named in the log. Default: false.',
      ),
    refreshAfterMs: z
      .int()
      .nonnegative()
      .default(86_400_000)
      .describe(
        'How long a resolved version of a tag or range ("latest", "^1") is reused before the registry is asked again; an unreachable registry then keeps the remembered version. Exact versions are never looked up again. Default: 86400000 (one day).',
      ),
  })
  .prefault({})
  .describe('Packages that launcher entries (npx -y, bunx, pnpm dlx) name: fetched by the outlet into a shared cache, then run in the sandbox read-only.');

export type PackagesConfig = z.output<typeof packagesSchema>;
