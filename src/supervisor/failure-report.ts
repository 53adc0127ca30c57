import type { ConsoleBuffer } from './console-buffer.js';
import type { SupervisorLog } from './server-sandbox.js';

/** How many of a failed start's own output lines its error quotes. */
const QUOTED_LINES = 3;

/**
 * The last distinct lines one start attempt printed (the lines pushed since `mark`), oldest
 * first. Earlier attempts' lines are not mixed in, and a line the server repeated counts once,
 * so "missing API_KEY" three times over three restarts reads as the one cause it is.
 *
 * @example
 * const mark = console.mark; // before the attempt
 * attemptLines(console, mark); // ['fatal: missing API_KEY', 'exiting']
 */
export function attemptLines(console: ConsoleBuffer, mark: number): string[] {
  const distinct: string[] = [];
  const { lines } = console.since(mark);
  for (let i = lines.length - 1; i >= 0 && distinct.length < QUOTED_LINES; i--) {
    const line = lines[i]!.line.trim();
    if (line !== '' && !distinct.includes(line)) distinct.unshift(line);
  }
  return distinct;
}

/** What the supervisor knows when an upstream fails and is about to be retried. */
export interface FailureFacts {
  server: string;
  /** It failed while starting (rather than after it had connected). */
  starting: boolean;
  cause: string;
  delayMs: number;
  /** Restarts so far (0 on the first failure). */
  restarts: number;
  /** The backoff has reached its ceiling: the server keeps failing. */
  atCeiling: boolean;
}

/**
 * Says in the gateway log what `/ready` says: a failure and the wait before the next attempt at
 * warn, and at error once the backoff has reached its ceiling (the server keeps failing and is
 * now retried only every `restart.maxMs`), so an operator sees a broken server without polling.
 */
export function logFailure(log: SupervisorLog | undefined, facts: FailureFacts, alreadyAtCeiling: boolean): void {
  if (!log) return;
  const what = facts.starting ? 'failed to start' : 'lost its connection';
  const data = { server: facts.server, restarts: facts.restarts, retryInMs: facts.delayMs, cause: facts.cause };
  if (facts.atCeiling && !alreadyAtCeiling) {
    log('error', `upstream "${facts.server}" keeps failing (${facts.restarts} restarts); retrying every ${Math.round(facts.delayMs / 1000)} s or so: ${facts.cause}`, data);
    return;
  }
  log('warn', `upstream "${facts.server}" ${what}; restarting in ${facts.delayMs} ms: ${facts.cause}`, data);
}
