import { constants } from 'node:os';
import { isOutletError } from '../errors/index.js';
import type { SandboxLimits, SandboxUsage } from '../sandbox/index.js';

/** The limits the supervisor can tell a process was killed for. */
export type LimitKind = 'memory' | 'wallClock' | 'output';

export interface ExitFacts {
  server: string;
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the gateway itself killed the process for a limit, with the transport's reason. */
  killedFor?: { kind: 'wallClock' | 'output'; detail?: string };
  usage: SandboxUsage;
  limits: SandboxLimits;
}

/**
 * Why a server process ended, in words for the caller whose call it left unanswered and for
 * `/ready`, plus the limit it was killed for when that is known. A kill by the gateway is known
 * for certain; a kill by the memory cgroup is read from the kernel's OOM-kill count. bwrap reports
 * a child killed by a signal as exit status 128 + signal, which is turned back into its name.
 *
 * @example
 * exitCause({ server: 'hog', code: 137, signal: null, usage: { oomKills: 1 }, limits: { memoryMb: 128 } });
 * // { text: 'upstream "hog" was killed at its memory limit (128 MiB)', limit: 'memory' }
 */
export function exitCause(facts: ExitFacts): { text: string; limit?: LimitKind } {
  const who = `upstream "${facts.server}"`;
  if (facts.killedFor?.kind === 'wallClock') {
    return { text: `${who} was killed at its wall-clock limit (${facts.limits.wallClockSeconds} s)`, limit: 'wallClock' };
  }
  if (facts.killedFor?.kind === 'output') {
    return { text: `${who} was killed for flooding its console: ${facts.killedFor.detail ?? 'output limit'}`, limit: 'output' };
  }
  if ((facts.usage.oomKills ?? 0) > 0) {
    return { text: `${who} was killed at its memory limit (${facts.limits.memoryMb} MiB)`, limit: 'memory' };
  }
  const signal = facts.signal ?? signalOfStatus(facts.code);
  if (signal) return { text: `${who} was killed by ${signal}` };
  return { text: `${who} exited with code ${facts.code}` };
}

function signalOfStatus(code: number | null): string | undefined {
  if (code === null || code <= 128 || code > 128 + 64) return undefined;
  const number = code - 128;
  return Object.entries(constants.signals).find(([, n]) => n === number)?.[0];
}

/**
 * What `/ready` says of a failed connection: the error, why the process died when it did (a
 * limit, a signal, an exit code: more use than "closed the connection" or "not running"), and the
 * last lines it printed while starting (`lastLines`, empty once it had connected).
 */
export function failureText(err: unknown, lastExit: string | undefined, lastLines: string[], starting = false): string {
  let text = err instanceof Error ? err.message : String(err);
  if (lastExit && (starting || (isOutletError(err) && err.code === 'UPSTREAM_CLOSED'))) text += `: ${lastExit}`;
  if (lastLines.length > 0) text += ` (last output: ${lastLines.join(' | ')})`;
  return text;
}
