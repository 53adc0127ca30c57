import type { CodeModeKind, OutletConfig } from '../config/index.js';
import type { RequestScope } from '../policy/call-context.js';

/**
 * How the endpoint a request came in on presents tools: a server entry's own `codeMode` on its
 * `/servers/<name>/mcp`, else the gateway's. Servers an `/rpc` request describes inline are
 * always plain MCP: their caller sent the config and knows the tools.
 */
export function modeOf(config: OutletConfig, scope: RequestScope): CodeModeKind {
  if (scope.kind === 'server') {
    if (scope.inline) return 'mcp';
    return config.servers[scope.server]?.codeMode ?? config.codeMode.mode;
  }
  return config.codeMode.mode;
}

/** Whether code mode has anything to do with this request (false for nearly every request of a plain gateway). */
export function codeModeApplies(config: OutletConfig, scope: RequestScope, method: string): boolean {
  if (method !== 'tools/list' && method !== 'tools/call') return false;
  if (modeOf(config, scope) !== 'mcp') return true;
  return method === 'tools/list' ? config.codeMode.compactSchemas : config.codeMode.maxResultTokens !== undefined;
}
