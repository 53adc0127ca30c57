import type { ServerDefinition } from './define.js';

type Factory = (options: Record<string, unknown>) => ServerDefinition | Promise<ServerDefinition>;

/**
 * Each built-in's server, loaded only when `outlet builtin <name>` runs it (one process serves one
 * built-in, and needs none of the others' dependencies). The names match the config's BUILTINS.
 */
export const BUILTIN_SERVERS: Readonly<Record<string, () => Promise<Factory>>> = {
  database: async () => (await import('./database/database-server.js')).databaseServer as unknown as Factory,
  time: async () => (await import('./time/time-server.js')).timeServer as Factory,
};
