import type { CallContext } from '../call-context.js';
import type { AccessRequest } from '../authz/policy-engine.js';
import type { SecurityAudit, SecurityTarget } from './security-audit.js';

/** Where a policy records what it decided: the audit trail (a {@link SecurityAudit}). */
export type AuditSink = Pick<SecurityAudit, 'record'>;

/** What a chain policy decided about one call. */
export interface CallDecision {
  event: 'authz.deny' | 'authz.insufficient_scope' | 'authz.allow' | 'rate.limited';
  ctx: CallContext;
  access?: AccessRequest;
  reason: string;
  /** The deciding rule, as its description (or its index). */
  rule?: string;
}

const DECISION = { 'authz.allow': 'allow', 'rate.limited': 'limit', 'authz.deny': 'deny', 'authz.insufficient_scope': 'deny' } as const;

/** The audit target of an access request: its server and tool, prompt or URI. */
export function targetOf(access: AccessRequest): Pick<SecurityTarget, 'server' | 'tool' | 'prompt' | 'uri'> {
  return {
    ...(access.server !== undefined ? { server: access.server } : {}),
    ...(access.kind === 'tool' && access.name !== undefined ? { tool: access.name } : {}),
    ...(access.kind === 'prompt' && access.name !== undefined ? { prompt: access.name } : {}),
    ...(access.uri !== undefined ? { uri: access.uri } : {}),
  };
}

/** Records a chain policy's decision, its target named by method, endpoint and access. */
export function recordCall(sink: AuditSink, { event, ctx, access, reason, rule }: CallDecision): void {
  sink.record({
    event,
    principal: ctx.principal ?? null,
    target: {
      method: ctx.method,
      endpoint: ctx.scope.kind === 'server' ? ctx.scope.server : 'aggregate',
      ...(access ? targetOf(access) : {}),
    },
    decision: DECISION[event],
    reason,
    ...(rule !== undefined ? { rule } : {}),
  });
}
