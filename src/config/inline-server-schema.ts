import * as z from 'zod';
import { serverEntryShape } from './server-schema.js';

/**
 * What the caller of `/rpc` may say about the server it wants run (`_meta["outlet/server"]`): the
 * program and its words (command, args, env, cwd), or an HTTP endpoint (url, headers), and which
 * transport that is. Everything else of a server entry (sandbox, instances, limits, timeouts, tool
 * filters, prefix) is the operator's, set once under `rpc.*`: a caller is an untrusted tenant and
 * choosing its own cage would make the cage meaningless.
 */
export const INLINE_CALLER_KEYS = ['command', 'args', 'env', 'cwd', 'url', 'headers', 'transport', 'type'] as const;

export const inlineServerEntrySchema = z.strictObject({
  command: serverEntryShape.command,
  args: serverEntryShape.args,
  env: serverEntryShape.env.describe('Extra environment variables. Variables that change how a runtime loads code (PATH, NODE_OPTIONS, LD_*, PYTHON*, npm_config_*, ...) are refused.'),
  cwd: serverEntryShape.cwd.describe('Working directory, relative to the server\'s own scratch directory. Default: the scratch itself.'),
  url: serverEntryShape.url,
  headers: serverEntryShape.headers,
  transport: serverEntryShape.transport,
  type: serverEntryShape.type,
});

/** Where the operator sets what a caller tried to set, by entry key. */
const OPERATOR_SETTING: Record<string, string> = {
  sandbox: 'the operator sets the cage of every inline server under rpc.sandbox',
  instances: 'inline servers run one process per config, within rpc.maxInstances and rpc.maxProcesses set by the operator',
  timeoutMs: 'the operator sets timeouts (upstream.requestTimeoutMs)',
  calls: 'the operator sets call bounds (upstream.*)',
  health: 'the operator sets health checks',
  tools: 'the operator decides what inline servers may run (rpc.allowCommands, rpc.allowPackages) and policies decide which tools a caller may use',
  prefix: 'inline servers are named by the gateway (rpc-<hash>)',
  enabled: 'inline servers are enabled by the operator (rpc.enabled)',
  protocol: 'the gateway negotiates the protocol of inline servers itself',
};

/**
 * The refusal for a server-entry key the caller may not set, or undefined for a caller key (and
 * for a key no entry has: that is a typo, reported by the schema as an unknown key).
 *
 * @example
 * operatorKeyRefusal('sandbox'); // '"sandbox" cannot be set by the caller: the operator sets ... under rpc.sandbox'
 */
export function operatorKeyRefusal(key: string): string | undefined {
  if ((INLINE_CALLER_KEYS as readonly string[]).includes(key) || !Object.hasOwn(serverEntryShape, key)) return undefined;
  const where = Object.hasOwn(OPERATOR_SETTING, key) ? OPERATOR_SETTING[key]! : `an inline server entry takes only ${INLINE_CALLER_KEYS.join(', ')}; the operator sets the rest under rpc.*`;
  return `"${key}" cannot be set by the caller: ${where}`;
}

/**
 * Why a caller's cwd is refused, or undefined. It names a directory inside the server's own
 * scratch (created there when missing): an absolute path or `..` would point the server at the
 * gateway's own directory (its config, logs) or at another server's files.
 */
export function inlineCwdRefusal(cwd: string): string | undefined {
  if (cwd.startsWith('/') || cwd.includes('\\') || cwd.split('/').includes('..') || cwd.includes('\0')) {
    return `${JSON.stringify(cwd)} must be a relative path inside the server's own scratch directory ("data", "work/sub"); absolute paths and ".." are refused`;
  }
  return undefined;
}
