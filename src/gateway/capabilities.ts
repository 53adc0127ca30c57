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
  return caps;
}
