import * as z from 'zod';
import { sandboxProfileSchema } from './sandbox-schema.js';

/**
 * The cage of every inline server, chosen by the operator alone. The backend is always bubblewrap
 * without fallback, paths are never bound from the request (autoMounts off) and each process gets
 * a fresh scratch of its own, so those keys are not offered here.
 */
export const inlineSandboxSchema = sandboxProfileSchema.omit({ backend: true, allowFallback: true, scratch: true, autoMounts: true });

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
    maxProcesses: z
      .int()
      .positive()
      .default(8)
      .describe(
        'Processes all inline servers may run at once, a budget of their own beside limits.maxProcesses: inline servers never take a configured server\'s slot, nor it theirs. A start that finds no room waits in line, then fails with GATEWAY_BUSY. Default: 8.',
      ),
    sandbox: inlineSandboxSchema
      .prefault({})
      .describe(
        'How every inline server is confined: the keys of a server\'s "sandbox" block except backend, allowFallback, scratch and autoMounts (always bubblewrap, no fallback, a fresh scratch per process, no binds from the request). mounts are the only host paths an inline server sees besides the runtime and its command; env names gateway variables passed through. The gateway-wide "sandbox" block does not apply to inline servers, except its limits as defaults. Default: {} (network "none", no mounts, no variables).',
      ),
    packageCacheDir: z
      .string()
      .min(1)
      .optional()
      .describe('Ignored (kept so older files still load): packages of inline servers are fetched into packages.cacheDir and mounted read-only. Default: none.'),
  })
  .prefault({})
  .describe('POST /rpc: JSON-RPC with the server named or described in the request.');

export type RpcConfig = z.output<typeof rpcSchema>;
