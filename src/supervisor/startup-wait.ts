import type { Supervisor } from './supervisor.js';
import type { UpstreamStatus } from './upstream-status.js';

/**
 * Failed start attempts after which a server is counted as not coming up. One is too few (a port
 * still held by a previous run, a slow disk) and waiting for ever helps no one: with the
 * supervisor's backoff (0.5 s, then 1 s) three attempts take a few seconds for a server that dies
 * at once, while one that is still installing or connecting is waited for up to the bound.
 */
export const START_ATTEMPTS = 3;

const POLL_MS = 200;

export interface StartupWaitOptions {
  /** The bound: after this many milliseconds the wait ends whatever the servers are doing. */
  timeoutMs: number;
  /** Only these servers (default: every running one). */
  servers?: readonly string[];
  /**
   * Called with the servers still starting: first after `quietMs`, then whenever that set or one
   * of their states changes, and every `repeatMs` while nothing changes (a long install).
   */
  onProgress?: (starting: UpstreamStatus[], elapsedMs: number) => void;
  /** No progress before this (default 0): a quick start says nothing. */
  quietMs?: number;
  /** Repeat unchanged progress this often (default 10000). */
  repeatMs?: number;
}

export interface StartupOutcome {
  /** Waited-for servers that are not connected at the end, with their state and last error. */
  down: UpstreamStatus[];
  /** The bound ran out while some were still starting. */
  timedOut: boolean;
}

/**
 * Whether a server is still on its way up: not connected, not stopped, and not yet failed
 * {@link START_ATTEMPTS} times in a row. Any other state (connecting, installing, a backoff
 * between early attempts, or a state added later) counts as starting.
 */
export function isStarting(up: Pick<UpstreamStatus, 'state' | 'restarts'>): boolean {
  if (up.state === 'connected' || up.state === 'stopped') return false;
  return failedAttempts(up) < START_ATTEMPTS;
}

/** Start attempts that have failed so far (for a server that has not connected since). */
export function failedAttempts(up: Pick<UpstreamStatus, 'state' | 'restarts'>): number {
  return up.restarts + (up.state === 'backoff' ? 1 : 0);
}

/** Where the wait reads the servers' states: a supervisor in this process, or a remote gateway's `/ready`. */
export type StatusSource = () => UpstreamStatus[] | Promise<UpstreamStatus[]>;

/** The status source of a supervisor in this process. */
export function supervisorSource(supervisor: Supervisor): StatusSource {
  return () => supervisor.status();
}

/**
 * Waits (bounded) until every waited-for server is connected or has shown it will not come up,
 * for one-shot commands and a stdio client's first list: their first answer should hold the whole
 * catalog, or say which server is missing and why.
 */
export async function waitForServers(source: StatusSource, options: StartupWaitOptions): Promise<StartupOutcome> {
  const start = Date.now();
  const deadline = start + options.timeoutMs;
  const wanted = async (): Promise<UpstreamStatus[]> => (await source()).filter((u) => !options.servers || options.servers.includes(u.name));
  let said = '';
  let saidAt = 0;
  for (;;) {
    const statuses = await wanted();
    const starting = statuses.filter(isStarting);
    const now = Date.now();
    if (options.onProgress && starting.length > 0 && now - start >= (options.quietMs ?? 0)) {
      // A failing server flips between connecting and backoff: that alone is no news.
      const text = starting.map((s) => `${s.name}:${s.state === 'backoff' ? 'connecting' : s.state}`).join(',');
      if (text !== said || now - saidAt >= (options.repeatMs ?? 10_000)) {
        options.onProgress(starting, now - start);
        said = text;
        saidAt = now;
      }
    }
    if (starting.length === 0 || now >= deadline) {
      return { down: statuses.filter((u) => u.state !== 'connected'), timedOut: starting.length > 0 };
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(POLL_MS, Math.max(0, deadline - Date.now()))));
  }
}
