import type { Result } from '@modelcontextprotocol/server';
import { parseInlineServerEntry } from '../../config/parse-server-entry.js';
import { OutletError } from '../../errors/index.js';
import type { Gateway } from '../../gateway/gateway.js';
import { redactServerConfig, Redactor } from '../../shared/redact.js';
import type { Principal } from '../../policy/call-context.js';
import { inlineServerRefusal } from '../../policy/inline/inline-server-allowlist.js';

/** The outlet's own `/rpc` methods: answered by the gateway, never sent to a server. */
export type OutletMethod = (gateway: Gateway, params: Record<string, unknown>, principal: Principal | undefined) => Result | Promise<Result>;

/** Operator methods show the servers' state and recorded traces: with auth.adminRoles, only to those roles. */
function requireAdmin(gateway: Gateway, principal: Principal | undefined, method: string): void {
  const roles = gateway.policies.http.adminRoles;
  if (!roles || !gateway.policies.active) return;
  if (principal && roles.some((role) => principal.roles.includes(role))) return;
  throw new OutletError('FORBIDDEN', `${method} needs one of the roles ${roles.join(', ')}`, { method });
}

export const OUTLET_METHODS: Record<string, OutletMethod> = {
  'outlet/ping': () => ({ ok: true, time: new Date().toISOString() }),

  'outlet/servers': (gateway, _params, principal) => {
    requireAdmin(gateway, principal, 'outlet/servers');
    const configured = gateway.config.servers;
    const catalog = gateway.currentCatalog();
    const servers = gateway.supervisor.status().map((status) => ({
      ...status,
      enabled: configured[status.name]?.enabled ?? true,
      tools: catalog.forServer(status.name)?.tools.length ?? 0,
    }));
    const disabled = Object.values(configured)
      .filter((s) => !s.enabled)
      .map((s) => ({ name: s.name, transport: s.transport, enabled: false, state: 'stopped' }));
    return { servers: [...servers, ...disabled], inline: gateway.inline.status() };
  },

  /** Checks a server entry as /rpc would: the schema, then the allowlist. Nothing is started. */
  'outlet/validate': (gateway, params) => {
    const raw = params.server;
    if (raw === undefined) throw new OutletError('INVALID_PARAMS', 'params.server: expected a server entry to check', { path: 'params.server' });
    const { server, issues, refused } = parseInlineServerEntry(raw, gateway.config, ['params', 'server']);
    if (refused) return { valid: true, allowed: false, reason: refused };
    if (!server) return { valid: false, issues };
    const refusal = gateway.config.rpc.enabled ? inlineServerRefusal(server, gateway.config.rpc) : 'inline server configs are off (rpc.enabled is false)';
    const shown = redactServerConfig({ ...server } as unknown as Record<string, unknown>, new Redactor(gateway.config.observability.redact));
    return { valid: true, allowed: refusal === undefined, ...(refusal ? { reason: refusal } : {}), server: shown };
  },

  'outlet/trace': (gateway, params, principal) => {
    requireAdmin(gateway, principal, 'outlet/trace');
    const id = params.traceId;
    if (typeof id !== 'string' || !/^[0-9a-f]{32}$/.test(id)) throw new OutletError('INVALID_PARAMS', 'params.traceId: expected a trace id (32 lowercase hex digits)', { path: 'params.traceId' });
    const observability = gateway.observability;
    if (!observability.keepsTraces) throw new OutletError('INVALID_PARAMS', 'traces are not kept in this process (observability.tracing)', { path: 'params.traceId' });
    const tree = observability.getTrace(id);
    if (!tree) throw new OutletError('INVALID_PARAMS', `no trace ${id} in the store (it keeps the last ${observability.config.tracing.maxTraces})`, { path: 'params.traceId' });
    return tree as unknown as Result;
  },
};
