import { OutletError } from '../../errors/index.js';
import type { Middleware } from '../call-context.js';
import { recordCall, type AuditSink } from '../audit/call-audit.js';
import { accessOf, type Targets } from '../authz/request-access.js';
import type { RateLimiter } from './rate-limit.js';

export interface RateLimitDeps {
  /** The configured limits over the bucket store (which outlives a reload). */
  limiter: Pick<RateLimiter, 'take'>;
  targets: Targets;
  audit: AuditSink;
}

/**
 * Rate limits, after authorization so a denied call never drains a bucket. A refusal carries
 * `retryAfterSeconds`, which the HTTP layer sends as Retry-After with a 429 (RFC 6585 section 4).
 */
export function rateLimitPolicy(deps: RateLimitDeps): Middleware {
  return async (ctx, next) => {
    const access = accessOf(ctx, deps.targets);
    const decision = await deps.limiter.take({
      principal: ctx.principal!,
      method: ctx.method,
      ...(access?.server !== undefined ? { server: access.server } : {}),
      ...(access?.name !== undefined ? { target: access.name } : access?.uri !== undefined ? { target: access.uri } : {}),
    });
    if (!decision.ok) {
      recordCall(deps.audit, { event: 'rate.limited', ctx, reason: decision.message });
      throw new OutletError('RATE_LIMITED', decision.message, { retryAfterSeconds: decision.retryAfterSeconds });
    }
    return next();
  };
}
