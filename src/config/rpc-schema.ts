import * as z from 'zod';

/**
 * The `rpc` section: `POST /rpc`, where a request may carry the config of the server it wants
 * (`params._meta["outlet/server"]`). Running a server a caller describes is remote code execution
 * by design, so inline configs are off by default and, when on, limited to an allowlist and
 * always sandboxed.
 */
export const rpcSchema = z
  .strictObject({
    enabled: z
      .boolean()
      .default(false)
      .describe('Accept server configs inside /rpc requests. Named servers (params._meta["outlet/serverName"]) and outlet/* methods work either way. Default: false.'),
    allowCommands: z
      .array(z.string().min(1))
      .default([])
      .describe(
        'Commands an inline stdio server may run. A bare name ("node", "npx") matches only that bare command (found on PATH); an absolute path matches only itself. Default: none.',
      ),
    allowPackages: z
      .array(z.string().min(1))
      .default([])
      .describe(
        'Packages a launcher (npx, uvx, bunx, pnpm dlx, pipx run) may fetch and run for an inline server, by name without version; "@scope/*" allows a whole scope. Default: none.',
      ),
    allowUrls: z
      .array(z.string().min(1))
      .default([])
      .describe('URL prefixes an inline HTTP server may point at (e.g. "https://mcp.example.com/"). Default: none.'),
    idleTimeoutMs: z.int().positive().default(300_000).describe('An inline server not called for this long is stopped, in milliseconds. Default: 300000.'),
    maxInstances: z
      .int()
      .positive()
      .default(8)
      .describe('Most inline servers running at once; the least recently used idle one is stopped to make room, else GATEWAY_BUSY. Default: 8.'),
    packageCacheDir: z
      .string()
      .min(1)
      .optional()
      .describe('Ignored (kept so older files still load): packages of inline servers are fetched into packages.cacheDir and mounted read-only. Default: none.'),
  })
  .prefault({})
  .describe('POST /rpc: JSON-RPC with the server named or described in the request.');

export type RpcConfig = z.output<typeof rpcSchema>;
