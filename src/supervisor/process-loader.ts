import type { ServerConfig } from '../config/index.js';
import type * as Machinery from './process-machinery.js';

/** The process side of the supervisor (process-machinery.ts), as its module exports it. */
export type ProcessMachinery = typeof Machinery;

let loaded: ProcessMachinery | undefined;
let loading: Promise<ProcessMachinery> | undefined;

/** The process machinery if some command server has loaded it already; a server built then equips itself at once. */
export function loadedProcessMachinery(): ProcessMachinery | undefined {
  return loaded;
}

/** Loads the process machinery (once per process). */
export function loadProcessMachinery(): Promise<ProcessMachinery> {
  loading ??= import('./process-machinery.js').then((machinery) => (loaded = machinery));
  return loading;
}

/**
 * Loads the process machinery when `servers` has an enabled command server, before they are
 * started, so that their supervision is set up as they are built (their status shows their
 * sandbox and instances from the start). URL servers alone load nothing.
 */
export async function prepareProcesses(servers: Iterable<ServerConfig>): Promise<void> {
  for (const server of servers) if (server.enabled && server.transport === 'stdio') return void (await loadProcessMachinery());
}
