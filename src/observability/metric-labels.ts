import type { NotificationMethod, RequestMethod } from '@modelcontextprotocol/server';

/**
 * Every method name the MCP spec defines, in both protocol eras (2025-era sessions, and 2026-07-28
 * with `server/discover` and `subscriptions/listen`), the experimental task methods, and the
 * outlet's own `/rpc` methods. A metric label takes its value from this set and nothing else: a
 * label value copied from the request would let any caller mint a new time series per request,
 * and each one stays in memory and in every scrape for the life of the process.
 */
const KNOWN_METHODS = [
  'initialize',
  'ping',
  'server/discover',
  'subscriptions/listen',
  'tools/list',
  'tools/call',
  'prompts/list',
  'prompts/get',
  'resources/list',
  'resources/templates/list',
  'resources/read',
  'resources/subscribe',
  'resources/unsubscribe',
  'completion/complete',
  'logging/setLevel',
  'roots/list',
  'sampling/createMessage',
  'elicitation/create',
  'tasks/get',
  'tasks/result',
  'tasks/list',
  'tasks/cancel',
  'notifications/initialized',
  'notifications/cancelled',
  'notifications/progress',
  'notifications/message',
  'notifications/roots/list_changed',
  'notifications/tools/list_changed',
  'notifications/prompts/list_changed',
  'notifications/resources/list_changed',
  'notifications/resources/updated',
  'notifications/elicitation/complete',
  'notifications/subscriptions/acknowledged',
  'notifications/tasks/status',
  'outlet/ping',
  'outlet/servers',
  'outlet/validate',
  'outlet/trace',
] as const;

/** Fails to compile when the SDK learns a spec method this list lacks. */
type Missing = Exclude<RequestMethod | NotificationMethod, (typeof KNOWN_METHODS)[number]>;
const everySpecMethodListed: [Missing] extends [never] ? true : Missing = true;
void everySpecMethodListed;

const KNOWN = new Set<string>(KNOWN_METHODS);

/** The label value of every name outside the closed set. */
export const OTHER_LABEL = 'other';

/** A method's label: the method itself when the spec (or the outlet) defines it, else "other". */
export function methodLabel(method: string): string {
  return KNOWN.has(method) ? method : OTHER_LABEL;
}
