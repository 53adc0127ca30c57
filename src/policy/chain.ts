import type { Middleware } from './call-context.js';
import type { ChainPolicies } from './policy-layer.js';
import { isOutletError } from '../errors/index.js';
import { fixedDecision, recordPolicyDecision } from '../observability/policy-decisions.js';
import { validateRequest } from './limits/validate-names.js';

/** What the chain is built from: the policy layer's policies of the config in force. */
export interface ChainSource {
  chain: ChainPolicies;
}

/**
 * The policy chain, in its one fixed order. A policy slots in here and nowhere else; the order
 * is the contract:
 *
 *  1. origin      (inbound transport, before any MCP parsing: DNS-rebinding Host/Origin checks)
 *  2. authn       who is calling: before anything that depends on identity
 *  3. authz       may this principal touch this tool/resource: before spending any budget on it
 *  3b. pins       is this tool's definition the approved one: a changed tool is withheld for everyone
 *  4. rate limit  after authz, so denied calls cannot drain a principal's bucket
 *  5. validation  names, then content limits and arguments against schemas: cheap checks on requests allowed to run
 *  6. cache       only requests that passed every check may be answered from cache
 *  7. audit/trace outermost on the way out, innermost on the way in: records the final outcome
 *
 * Origin checks live in the HTTP layer (they need headers, not MCP), so the chain starts at 2.
 * Credentials are verified in the HTTP layer too (they are headers); step 2 takes the principal it
 * found, or the stdio / anonymous one. The chain runs once per request on every way in: an MCP
 * message over HTTP runs it when the HTTP layer admits the message (where a 403 insufficient_scope
 * or a 429 with Retry-After can still be answered), and the SDK's handler for that message takes
 * the run over at its end (see `handOver`). Denied list entries are filtered on the way out of 3
 * and 3b.
 */
export function buildPolicyChain(policies?: ChainSource, options: { pins?: boolean } = {}): Middleware[] {
  if (!policies) return [decided('validation', validateRequest), passedEveryPolicy, handOver];
  const p = policies.chain;
  return [
    decided('authn', p.authn),
    decided('authz', p.authz),
    ...(options.pins === false ? [] : [decided('pins', p.pins)]),
    decided('rate-limit', p.rateLimit),
    decided('validation', validateRequest),
    decided('arguments', p.arguments),
    // 6. cache: none yet. 7. audit/trace: the gateway publishes each request on
    // inboundRequestChannel around this whole chain (src/observability), so it sees the final outcome.
    passedEveryPolicy,
    handOver,
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
export function buildInlinePolicyChain(policies: ChainSource): Middleware[] {
  return buildPolicyChain(policies, { pins: false });
}

/**
 * The end of the policies: a request admitted over HTTP before the SDK parsed it waits here until
 * the SDK's handler for it takes the run over (and fills in the context the router needs);
 * every other request goes straight on.
 */
const handOver: Middleware = async (ctx, next) => {
  if (ctx.handOver) await ctx.handOver();
  return next();
};

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
