import { getDefaultEnvironment } from '@modelcontextprotocol/client/stdio';
import type { StdioServerConfig } from '../config/index.js';
import type { SpawnSpec } from '../sandbox/spawn-spec.js';
import type { TransportHooks } from './client-transport.js';
import { StdioClientProcessTransport } from './stdio-transport.js';

/**
 * The environment a stdio upstream starts with: only the SDK's short list of harmless variables
 * (HOME, PATH, USER, ...) plus the entry's own `env`. The gateway's secrets never leak into a child.
 */
export function upstreamEnvironment(extra: Record<string, string>): Record<string, string> {
  return { ...getDefaultEnvironment(), ...extra };
}

/** The transport of a command (stdio) entry: its process, spawned as the hooks rewrite it. */
export function createStdioTransport(config: StdioServerConfig, hooks: TransportHooks): StdioClientProcessTransport {
  const base: SpawnSpec = {
    command: config.command,
    args: config.args,
    env: upstreamEnvironment(config.env),
    cwd: config.cwd,
  };
  const spec = hooks.wrapSpawn ? hooks.wrapSpawn(base) : base;
  const output = hooks.stdioLimits?.().outputBytesPerSecond;
  return new StdioClientProcessTransport({
    spec,
    ...(hooks.onConsole ? { onConsole: hooks.onConsole } : {}),
    ...(hooks.onExit ? { onExit: hooks.onExit } : {}),
    ...(hooks.onSpawn ? { onSpawn: hooks.onSpawn } : {}),
    ...(hooks.onLimitKill ? { onLimitKill: hooks.onLimitKill } : {}),
    ...(output !== undefined ? { outputBytesPerSecond: output } : {}),
  });
}
