import { callsSchema, healthSchema } from './calls-schema.js';
import * as z from 'zod';
import { sandboxProfileSchema } from './sandbox-schema.js';
import { instancesSchema } from './instances-schema.js';
import { codeModeKindSchema } from './code-mode-schema.js';

/**
 * Input schema of one server entry. It is a single strict object holding both the stdio and the
 * HTTP fields rather than a union: a union's errors ("no variant matched") hide which key is wrong,
 * while here every key gets its own message and the stdio-versus-HTTP rules are checked afterwards
 * in `normalize-server.ts`, where the message can name the entry.
 */

/** Server names appear in URLs (`/servers/<name>/mcp`), so they stay URL- and log-safe. */
export const SERVER_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;
export const SERVER_NAME_RULE = 'use letters, digits, "_" and "-", starting with a letter or digit';

const nonEmpty = z.string().min(1);
const stringMap = z.record(z.string(), z.string());

/** VS Code spells the transport `type` and calls Streamable HTTP plain "http". */
export const TYPE_TO_TRANSPORT = { stdio: 'stdio', http: 'streamable-http', 'streamable-http': 'streamable-http', sse: 'sse' } as const;

export const serverEntryShape = {
  enabled: z.boolean().optional().describe('Set to false to keep the entry in the file without starting it. Default: true.'),
  prefix: z
    .string()
    .regex(SERVER_NAME_PATTERN, { error: `invalid prefix: ${SERVER_NAME_RULE}` })
    .optional()
    .describe('Namespace prefix for this server\'s tools, prompts and resources. Default: the server name. Must be unique among enabled servers and must not contain the namespace separator.'),
  tools: z
    .strictObject({
      include: z.array(nonEmpty).optional().describe('Globs on the upstream\'s own (unprefixed) tool names to publish. Absent or empty: all tools.'),
      exclude: z.array(nonEmpty).optional().describe('Globs on the upstream\'s own (unprefixed) tool names to hide; applied after include.'),
    })
    .optional()
    .describe('Which of the upstream\'s tools the gateway publishes.'),
  timeoutMs: z.int().positive().optional().describe('Per-request timeout towards this upstream, in milliseconds. Default: upstream.requestTimeoutMs.'),
  calls: callsSchema.optional(),
  codeMode: codeModeKindSchema.optional().describe('How this server\'s own endpoint (/servers/<name>/mcp) presents tools: "mcp", "code" or "hybrid". Default: the gateway\'s codeMode.mode.'),
  health: healthSchema.optional(),
  protocol: z
    .enum(['auto', 'legacy', '2026-07-28'])
    .optional()
    .describe('How the gateway negotiates with this upstream: "auto" lets the gateway pick, "legacy" keeps to protocol revisions before 2026-07-28, "2026-07-28" uses that revision. Default: "auto".'),
  command: nonEmpty.optional().describe('stdio servers: the executable to start. Exactly one of command and url is required.'),
  args: z.array(z.string()).optional().describe('stdio servers: command-line arguments. Default: [].'),
  env: stringMap.optional().describe('stdio servers: extra environment variables for the child process. Default: {}.'),
  cwd: nonEmpty.optional().describe('stdio servers: working directory, relative to the config file\'s directory. Default: that directory.'),
  sandbox: sandboxProfileSchema
    .optional()
    .describe('stdio servers: how the process is confined; merged over the gateway-wide sandbox (limits key by key). Relative paths are relative to the config file\'s directory.'),
  instances: instancesSchema.optional(),
  url: z
    // A function, not a string: a plain message would also replace "expected string, got number".
    .url({ protocol: /^https?$/, error: (iss) => (iss.code === 'invalid_format' ? 'expected an http:// or https:// URL' : undefined) })
    .optional()
    .describe('HTTP servers: the MCP endpoint URL (http or https). Exactly one of command and url is required.'),
  headers: stringMap.optional().describe('HTTP servers: extra HTTP headers sent with every request. Default: {}.'),
  transport: z
    .enum(['stdio', 'streamable-http', 'sse'])
    .optional()
    .describe('Transport: "stdio" for command entries; "streamable-http" (default) or "sse" for url entries. A url whose path ends in /sse defaults to "sse".'),
  type: z
    .enum(['stdio', 'http', 'streamable-http', 'sse'])
    .optional()
    .describe('Synonym of transport, as VS Code writes it ("http" means "streamable-http"). If both are given they must agree.'),
};

/**
 * The schema of one entry under `servers` (or `mcpServers`). The `oneOf` only informs editors that
 * read the JSON Schema; the parser reports the same rule with a message naming the entry.
 */
export const serverEntrySchema = z.strictObject(serverEntryShape).meta({
  description: 'One upstream MCP server: stdio (command) or HTTP (url).',
  // Exactly one branch matches when exactly one of the two keys is present.
  oneOf: [{ required: ['command'] }, { required: ['url'] }],
});

export type ServerEntryInput = z.output<typeof serverEntrySchema>;

/** A map of server entries keyed by server name. */
export const serverMapSchema = z.record(
  z.string().regex(SERVER_NAME_PATTERN, { error: `invalid server name: ${SERVER_NAME_RULE}` }),
  serverEntrySchema,
);
