import type { Gateway } from '../gateway/gateway.js';
import { START_ATTEMPTS, failedAttempts, supervisorSource, waitForServers, type StatusSource } from '../supervisor/startup-wait.js';
import type { UpstreamStatus } from '../supervisor/upstream-status.js';

/** How long one-shot commands and a stdio client's first list wait for servers still starting. */
export const DEFAULT_WAIT_MS = 60_000;

/** Servers that come up within this long are waited for silently: no progress line for a quick start. */
const QUIET_MS = 1_000;

/** Parses `--wait-ms`; undefined when it is not a whole number of milliseconds. */
export function parseWaitMs(text: string | undefined): number | undefined {
  if (text === undefined) return DEFAULT_WAIT_MS;
  const ms = Number(text);
  return Number.isInteger(ms) && ms >= 0 ? ms : undefined;
}

/**
 * Waits (bounded by `waitMs`) for the servers still starting or installing, printing on stderr
 * which ones are still on their way (unless `quiet`); returns those that did not come up.
 * `servers` narrows the wait to the ones a command needs.
 */
export async function awaitServers(source: StatusSource, waitMs: number, options: { servers?: readonly string[]; quiet?: boolean } = {}): Promise<UpstreamStatus[]> {
  const { down } = await waitForServers(source, {
    timeoutMs: waitMs,
    ...(options.servers ? { servers: options.servers } : {}),
    quietMs: QUIET_MS,
    onProgress: (starting, elapsedMs) => {
      if (options.quiet) return;
      const each = starting.map((s) => `${s.name} (${s.state}${s.lastError ? `, last error: ${oneLine(s.lastError)}` : ''})`).join(', ');
      console.error(`outlet: waiting for ${starting.length} server${starting.length === 1 ? '' : 's'} to start (${Math.round(elapsedMs / 1000)} s of up to ${Math.round(waitMs / 1000)} s): ${each}`);
    },
  });
  return down;
}

/** The wait of a gateway started in this process; progress is said at the warn level (OUTLET_LOG_LEVEL=error or silent keeps stderr for failures). */
export function awaitLocalServers(gateway: Gateway, waitMs: number, servers?: readonly string[]): Promise<UpstreamStatus[]> {
  return awaitServers(supervisorSource(gateway.supervisor), waitMs, { ...(servers ? { servers } : {}), quiet: !gateway.logger.isLevelEnabled('warn') });
}

/** One line per server that did not come up: its state and why, for stderr. */
export function describeDown(down: readonly UpstreamStatus[], waitMs: number): string[] {
  return down.map((s) => {
    const why = s.lastError ? `: ${oneLine(s.lastError)}` : '';
    const failed = failedAttempts(s);
    if (failed >= START_ATTEMPTS) return `server "${s.name}" did not come up (failed ${failed} start attempts)${why}`;
    if (s.state === 'stopped') return `server "${s.name}" did not come up (stopped)${why}`;
    const doing = s.state === 'backoff' ? `retrying after ${failed} failed attempt${failed === 1 ? '' : 's'}` : s.state;
    return `server "${s.name}" did not come up within ${waitMs} ms (still ${doing}; raise --wait-ms to wait longer)${why}`;
  });
}

/**
 * The server a namespaced tool name belongs to (`<prefix><separator><tool>`), when the config
 * tells; undefined when no prefix matches (then every server is needed).
 */
export function serverOfTool(gateway: Gateway, tool: string): string | undefined {
  const separator = gateway.config.namespace.separator;
  for (const up of gateway.supervisor.all()) {
    if (tool.startsWith(`${up.config.prefix}${separator}`)) return up.name;
  }
  return undefined;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' | ');
}

/** The servers that did not come up, one line each on stderr (a desktop client's server log). */
export function printDown(down: readonly UpstreamStatus[], waitMs: number): void {
  for (const line of describeDown(down, waitMs)) console.error(`outlet: ${line}`);
}
