import type { Middleware } from './call-context.js';
import type { SecurityPolicies } from '../auth/security.js';
import { validateRequest } from './validate-request.js';

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
export function buildPolicyChain(security?: ChainSecurity): Middleware[] {
  if (!security) return [validateRequest];
  const p = security.policies;
  return [
    p.authenticate,
    p.authorize,
    p.pins,
    p.rateLimit,
    validateRequest,
    p.validateArguments,
    // cache, audit/trace: not configured yet (issue 5)
  ];
}
