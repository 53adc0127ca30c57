import type { Result } from '@modelcontextprotocol/server';
import type { Catalog } from '../catalog/index.js';
import type { Supervisor } from '../supervisor/supervisor.js';
import type { ClientChannel } from '../upstream/client-channel.js';

/** What the router keeps of an inbound session that outlives one call: the threshold it chose with logging/setLevel. */
export interface CallerSession {
  logLevel?: string;
}

/** The inbound sessions that outlive one call, by key (the protocol layer's session registry). */
export interface CallerSessions {
  get(key: string): CallerSession | undefined;
}

/**
 * Resource subscriptions shared across sessions (spec: server/resources#subscriptions): one
 * upstream subscription per URI, whatever the number of sessions that asked (the protocol layer's
 * subscription hub).
 */
export interface ResourceSubscriptions {
  subscribe(server: string, uri: string, sessionKey: string): Promise<void>;
  unsubscribe(server: string, uri: string, sessionKey: string): Promise<void>;
}

/**
 * Multi-round-trip input (SEP-2322) for a 2026-07-28 caller in front of a 2025-era upstream: the
 * caller cannot be sent the sampling or elicitation requests the upstream pushes mid-call, so
 * they come back to it as `input_required` results, and its retry resumes the same upstream call
 * (the protocol layer's input bridge).
 */
export interface InputRounds {
  /**
   * One exchange of such a call: resumes the call the params' `requestState` names, or begins one.
   * `start` runs the upstream call with the params the upstream should see (the round's own
   * fields taken out), on the channel and the signal it is given: the call outlives this exchange.
   */
  exchange(
    params: Record<string, unknown>,
    channel: ClientChannel,
    signal: AbortSignal,
    start: (params: Record<string, unknown>, channel: ClientChannel, upstreamSignal: AbortSignal) => Promise<Result>,
  ): Promise<Result>;
}

export interface RouterDeps {
  catalog: () => Catalog;
  supervisor: Supervisor;
  /** Bounded start-up wait so a one-shot client sees the whole catalog. */
  listWaitMs: number;
  subscriptions: ResourceSubscriptions;
  sessions: CallerSessions;
  bridge: InputRounds;
}
