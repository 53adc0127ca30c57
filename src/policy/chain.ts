import type { Middleware } from './call-context.js';
import { validateRequest } from './validate-request.js';

/**
 * The policy chain, in its one fixed order. Each later issue slots its policy in here and nowhere
 * else; the order is the contract:
 *
 *  1. origin      (inbound transport, before any MCP parsing: DNS-rebinding Host/Origin checks)
 *  2. authn       who is calling: before anything that depends on identity
 *  3. authz       may this principal touch this tool/resource: before spending any budget on it
 *  4. rate limit  after authz, so denied calls cannot drain a principal's bucket
 *  5. validation  arguments against schemas: cheap checks on requests that are allowed to run
 *  6. cache       only requests that passed every check may be answered from cache
 *  7. audit/trace outermost on the way out, innermost on the way in: records the final outcome
 *
 * Origin checks live in the HTTP layer (they need headers, not MCP), so the chain starts at 2.
 */
export function buildPolicyChain(): Middleware[] {
  return [
    // authn, authz, rate limit: not configured yet (issue 7)
    validateRequest,
    // cache, audit/trace: not configured yet (issues 5, 7)
  ];
}
