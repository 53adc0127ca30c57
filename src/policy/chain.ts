import type { Middleware } from './call-context.js';
import type { SecurityPolicies } from './security.js';
import { isOutletError } from '../errors/index.js';
import { fixedDecision, recordPolicyDecision } from '../observability/policy-decisions.js';
import { validateRequest } from './limits/validate-names.js';

/** The security policies (issue 7), built from the config by `createSecurity` in `src/auth`. */
export interface ChainSecurity {
  policies: SecurityPolicies;
}

/**
 * The policy chain, in its one fixed order. Each later issue slots its policy in here and nowhere
 * else; the order is the contract:
 *
 *  1. origin      (inbound transport, before any MCP parsing: DNS-rebinding Host/Origin checks)
 *  2. authn       who is calling: before anything that depends on identity
 *  3. authz       may this principal touch this tool/resource: before spending any budget on it
 *  3b. pins       is this tool's definition the approved one: a changed tool is withheld for everyone
 *  4. rate limit  after authz, so denied calls cannot drain a principal's bucket
 *  5. validation  names, then arguments against schemas: cheap checks on requests allowed to run
 *  6. cache       only requests that passed every check may be answered from cache
 *  7. audit/trace outermost on the way out, innermost on the way in: records the final outcome
 *
 * Origin checks live in the HTTP layer (they need headers, not MCP), so the chain starts at 2.
 * Credentials are verified in the HTTP layer too (they are headers); step 2 takes the principal it
 * found, or the stdio / anonymous one. The HTTP layer also runs 3 and 4 early for HTTP requests,
 * where a 403 insufficient_scope or a 429 with Retry-After can still be answered; the chain then
 * does not charge the same request twice. Denied list entries are filtered on the way out of 3
 * and 3b.
 */
export function buildPolicyChain(security?: ChainSecurity, options: { pins?: boolean } = {}): Middleware[] {
  if (!security) return [decided('validation', validateRequest), passedEveryPolicy];
  const p = security.policies;
  return [
    decided('authn', p.authenticate),
    decided('authz', p.authorize),
    ...(options.pins === false ? [] : [decided('pins', p.pins)]),
    decided('rate-limit', p.rateLimit),
    decided('validation', validateRequest),
    decided('arguments', p.validateArguments),
    // 6. cache: none yet. 7. audit/trace: the gateway publishes each request on
    // inboundRequestChannel around this whole chain (src/observability), so it sees the final outcome.
    passedEveryPolicy,
  ];
}

/**
 * The chain for servers an `/rpc` request describes inline: the same chain with pins left out (a
 * lock file speaks of configured servers; an inline server's tools have no approved definition).
 * Who may run an inline server at all is decided before the chain (rpc.enabled, the allowlist,
 * and, with auth on, a policy granting `rpc:inline`); authz then applies the policies to each
 * call as everywhere, its targets named `rpc-<hash>__<tool>` on server `rpc-<hash>`: deny rules
 * refuse as on /mcp, and the `rpc:inline` grant stands for the allow (policy-engine.ts). Content
 * limits apply as everywhere; the schema check finds no catalog entry for an inline server and
 * leaves the arguments to the server itself.
 */
export function buildInlinePolicyChain(security: ChainSecurity): Middleware[] {
  return buildPolicyChain(security, { pins: false });
}

const PASSED = 'policy.passed';
/** The chain's decision on a request that passed: made once, with its span event attributes. */
const CHAIN_ALLOW = fixedDecision({ policy: 'chain', decision: 'allow' });

/** The end of the chain: the request passed every policy (recorded once, as the chain's decision). */
const passedEveryPolicy: Middleware = (ctx, next) => {
  ctx.state.set(PASSED, true);
  recordPolicyDecision(ctx, CHAIN_ALLOW);
  return next();
};

/**
 * A policy whose refusal is recorded (span event, audit record) under its name. An error that
 * comes back up from past the chain's end is the router's, not a refusal; the first policy to see
 * an error that no policy let through is the one that threw it.
 */
function decided(policy: string, middleware: Middleware): Middleware {
  return async (ctx, next) => {
    try {
      return await middleware(ctx, next);
    } catch (err) {
      if (!ctx.state.has(PASSED)) {
        ctx.state.set(PASSED, false);
        recordPolicyDecision(ctx, { policy, decision: 'deny', reason: err instanceof Error ? err.message : String(err), ...(isOutletError(err) ? { code: err.code } : {}) });
      }
      throw err;
    }
  };
}
