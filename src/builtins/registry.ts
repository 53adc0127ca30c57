import type { ServerDefinition } from './define.js';

type Factory = (options: Record<string, unknown>) => ServerDefinition | Promise<ServerDefinition>;

/**
 * Each built-in's server, loaded only when `outlet builtin <name>` runs it (one process serves one
 * built-in, and needs none of the others' dependencies). The names match the config's BUILTINS.
 */
export const BUILTIN_SERVERS: Readonly<Record<string, () => Promise<Factory>>> = {
  database: async () => (await import('./database/database-server.js')).databaseServer as unknown as Factory,
  files: async () => (await import('./files/files-server.js')).filesServer as Factory,
  git: async () => (await import('./git/git-server.js')).gitServer as unknown as Factory,
  http: async () => (await import('./http/http-server.js')).httpServer as unknown as Factory,
  notify: async () => (await import('./notify/notify-server.js')).notifyServer as unknown as Factory,
  python: async () => (await import('./python/python-server.js')).pythonServer as unknown as Factory,
  search: async () => (await import('./search/search-server.js')).searchServer as Factory,
  shell: async () => (await import('./shell/shell-server.js')).shellServer as unknown as Factory,
  system: async () => (await import('./system/system-server.js')).systemServer as Factory,
  time: async () => (await import('./time/time-server.js')).timeServer as Factory,
};
