import type { PolicyDecision } from './observability-types.js';
import type { ObservationSlot } from './observed-request.js';
import { prefixed, recordOf } from './request-record.js';
import type { Attributes } from './spans.js';

/**
 * What policies call to have their decisions recorded. Kept apart from install.ts so the policy
 * layer loads only this and the request's record: neither the metrics (prom-client) nor the
 * trace exporters.
 */

/**
 * Records a policy's decision on the request being handled: an event on its span and a line in its
 * audit record. A no-op when observability is not installed; policies call it unconditionally.
 */
export function recordPolicyDecision(ctx: ObservationSlot, decision: PolicyDecision): void {
  const rec = recordOf(ctx);
  if (!rec) return;
  // A literal for the first: a push onto [] reserves 17 slots, and most requests have one decision.
  if (rec.decisions) rec.decisions.push(decision);
  else rec.decisions = [decision];
  const span = rec.span;
  if (span?.isRecording()) span.addEvent('policy.decision', decisionAttributes(decision));
}

/** Where a decision made once (fixedDecision) keeps its span event attributes. */
const FIXED_ATTRIBUTES = Symbol('outlet.policy.attributes');

/**
 * A decision recorded on many requests as it is (the chain's own "allow"): frozen, with its span
 * event attributes made once, here, and shared by every span that records it.
 */
export function fixedDecision(decision: PolicyDecision): PolicyDecision {
  const attributes = Object.freeze(prefixed('policy.', decision));
  // Not enumerable: the audit record, which lists the decision, does not show it.
  return Object.freeze(Object.defineProperty({ ...decision }, FIXED_ATTRIBUTES, { value: attributes, enumerable: false }));
}

function decisionAttributes(decision: PolicyDecision): Attributes {
  return ((decision as { [FIXED_ATTRIBUTES]?: Attributes })[FIXED_ATTRIBUTES]) ?? prefixed('policy.', decision);
}
