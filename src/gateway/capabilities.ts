import type { ServerCapabilities } from '@modelcontextprotocol/server';

/**
 * What the aggregated endpoint advertises: everything it can relay. `listChanged` is always on,
 * because upstreams come and go (hot reload) even when no single upstream's list changes.
 */
export const AGGREGATE_CAPABILITIES: ServerCapabilities = {
  tools: { listChanged: true },
  prompts: { listChanged: true },
  resources: { subscribe: true, listChanged: true },
  completions: {},
  logging: {},
};

/** A per-server endpoint mirrors its upstream's capabilities (plus listChanged), so a client sees that server as it is. */
export function perServerCapabilities(upstream: ServerCapabilities | undefined): ServerCapabilities {
  if (!upstream) return AGGREGATE_CAPABILITIES;
  const caps: ServerCapabilities = { logging: {} };
  if (upstream.tools) caps.tools = { ...upstream.tools, listChanged: true };
  if (upstream.prompts) caps.prompts = { ...upstream.prompts, listChanged: true };
  if (upstream.resources) caps.resources = { ...upstream.resources, listChanged: true };
  if (upstream.completions) caps.completions = {};
  if (upstream.tasks) caps.tasks = upstream.tasks;
  return caps;
}

/**
 * The aggregated endpoint's capabilities: {@link AGGREGATE_CAPABILITIES}, plus tasks when a
 * connected upstream offers them (2025-11-25 tasks: the gateway routes each task to the upstream
 * that created it). Only what some upstream offers is advertised (tasks for tools/call, list, cancel).
 */
export function aggregateCapabilities(upstreams: readonly { state: string; live(): { capabilities: ServerCapabilities } }[]): ServerCapabilities {
  const offered = upstreams.filter((up) => up.state === 'connected').map((up) => up.live().capabilities.tasks).filter((t) => t !== undefined);
  if (offered.length === 0) return AGGREGATE_CAPABILITIES;
  const tasks: NonNullable<ServerCapabilities['tasks']> = {};
  if (offered.some((t) => t.list)) tasks.list = {};
  if (offered.some((t) => t.cancel)) tasks.cancel = {};
  if (offered.some((t) => t.requests?.tools?.call)) tasks.requests = { tools: { call: {} } };
  return { ...AGGREGATE_CAPABILITIES, tasks };
}
