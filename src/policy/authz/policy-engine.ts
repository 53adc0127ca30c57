import type { Principal } from '../call-context.js';
import type { ArgumentCondition, PolicyRule } from '../../config/auth-schema.js';
import { hasDotSegments, matchName, matchPath } from '../glob.js';
import { claimAt } from '../authn/principal.js';
import { templateAlwaysMatches, templateMayMatch } from './uri-template-match.js';

/** `rpc` is a gateway capability rather than an upstream's: `rpc:inline`, running servers an /rpc request describes. */
export type AccessKind = 'tool' | 'prompt' | 'resource' | 'rpc';

/** What is being asked for, in the aggregated endpoint's terms. */
export interface AccessRequest {
  kind: AccessKind;
  /** The server that owns the target, when it is known. */
  server?: string;
  /** A tool or prompt's published (namespaced) name. */
  name?: string;
  uri?: string;
  /**
   * A resource template (RFC 6570) instead of one URI: listing templates, completing a template's
   * arguments. Matched by its literal prefix; see uri-template-match.ts. Takes precedence over `uri`.
   */
  uriTemplate?: string;
  /** Call arguments; undefined when deciding visibility in a list (arguments unknown). */
  arguments?: Record<string, unknown>;
  /**
   * The target lives on an inline /rpc server. Its caller already holds `rpc:inline`, which stands
   * for the allow: deny rules apply as everywhere, and nothing matching allows.
   */
  inline?: boolean;
}

export type Decision =
  | { effect: 'allow'; rule?: number }
  | { effect: 'deny'; rule?: number; reason: string }
  | { effect: 'insufficient_scope'; rule: number; scopes: string[] };

/**
 * Evaluates authorization rules. Deny wins: the first deny rule that matches decides. Otherwise
 * the first allow rule that matches and whose scopes the principal has allows; an allow rule that
 * matches but needs scopes the principal lacks answers insufficient_scope; nothing matching falls
 * to the default decision.
 *
 * In a list (arguments unknown) an allow rule with argument conditions counts as matching (the
 * tool can be called with some arguments) and a deny rule with them does not (the tool stays
 * visible; the call is decided when its arguments are known).
 *
 * `rpc:inline` (running servers described by /rpc requests: remote code execution by design) is
 * granted only by an allow rule that names it (`"rpc": ["inline"]`), never by a rule without
 * targets nor by `defaultDecision: "allow"`; deny rules without targets refuse it like anything.
 */
export class PolicyEngine {
  private readonly patterns = new Map<string, RegExp>();

  constructor(
    private readonly rules: readonly PolicyRule[],
    private readonly defaultDecision: 'allow' | 'deny',
  ) {}

  get ruleCount(): number {
    return this.rules.length;
  }

  describe(index: number | undefined): string | undefined {
    if (index === undefined) return undefined;
    const rule = this.rules[index];
    return rule?.description ? `policies[${index}] (${rule.description})` : `policies[${index}]`;
  }

  decide(principal: Principal, request: AccessRequest): Decision {
    for (let i = 0; i < this.rules.length; i++) {
      const rule = this.rules[i]!;
      if (rule.effect === 'deny' && this.matches(rule, principal, request, 'deny')) {
        return { effect: 'deny', rule: i, reason: `denied by ${this.describe(i)}` };
      }
    }
    let missing: { rule: number; scopes: string[] } | undefined;
    for (let i = 0; i < this.rules.length; i++) {
      const rule = this.rules[i]!;
      if (rule.effect !== 'allow' || !this.matches(rule, principal, request, 'allow')) continue;
      const lacking = (rule.scopes ?? []).filter((s) => !(principal.scopes ?? []).includes(s));
      if (lacking.length === 0) return { effect: 'allow', rule: i };
      missing ??= { rule: i, scopes: [...(rule.scopes ?? [])] };
    }
    if (missing) return { effect: 'insufficient_scope', ...missing };
    if (request.kind === 'rpc') return { effect: 'deny', reason: `no policy grants rpc:${request.name ?? ''} (an allow rule with "rpc": ["${request.name ?? ''}"])` };
    return this.defaultDecision === 'allow' || request.inline ? { effect: 'allow' } : { effect: 'deny', reason: 'no policy allows it (default deny)' };
  }

  private matches(rule: PolicyRule, principal: Principal, request: AccessRequest, as: 'allow' | 'deny'): boolean {
    // Subject.
    if (rule.roles && !rule.roles.some((r) => principal.roles.includes(r))) return false;
    if (rule.principals && !matchName(rule.principals, principal.id)) return false;
    if (rule.claims && !claimsMatch(rule.claims, principal.claims)) return false;
    // Target kind: a rule naming some kinds applies only to those.
    const kinds = rule.tools || rule.prompts || rule.resources || rule.rpc;
    if (!kinds && request.kind === 'rpc' && as === 'allow') return false;
    if (kinds) {
      if (request.kind === 'rpc' && !(rule.rpc && request.name !== undefined && (rule.rpc as readonly string[]).includes(request.name))) return false;
      if (request.kind === 'tool' && !(rule.tools && request.name !== undefined && matchName(rule.tools, request.name))) return false;
      if (request.kind === 'prompt' && !(rule.prompts && request.name !== undefined && matchName(rule.prompts, request.name))) return false;
      if (request.kind === 'resource' && !(rule.resources && this.resourceMatches(rule.resources, request, as))) return false;
    }
    if (rule.servers && !(request.server !== undefined && matchName(rule.servers, request.server))) return false;
    if (rule.arguments) {
      if (request.arguments === undefined) return as === 'allow';
      for (const [path, condition] of Object.entries(rule.arguments)) {
        if (!this.argumentMatches(condition, claimAt(request.arguments, path), as)) return false;
      }
    }
    return true;
  }

  private resourceMatches(globs: readonly string[], request: AccessRequest, as: 'allow' | 'deny'): boolean {
    const template = request.uriTemplate;
    if (template === undefined) return request.uri !== undefined && this.uriMatches(globs, request.uri, as);
    if (hasDotSegments(template)) return as === 'deny';
    // An allow rule counts when the template can produce a URI it allows; a deny rule only when it denies them all.
    return as === 'allow' ? templateMayMatch(globs, template) : templateAlwaysMatches(globs, template);
  }

  private uriMatches(globs: readonly string[], uri: string, as: 'allow' | 'deny'): boolean {
    if (hasDotSegments(uri)) return as === 'deny';
    return matchPath(globs, uri);
  }

  private argumentMatches(c: ArgumentCondition, value: unknown, as: 'allow' | 'deny'): boolean {
    if (c.absent !== undefined && (value === undefined) !== c.absent) return false;
    if (c.equals && !c.equals.some((e) => e === value)) return false;
    if (c.glob) {
      if (typeof value !== 'string') return false;
      // Fail closed: a path that climbs out never satisfies an allow, always trips a deny.
      if (hasDotSegments(value)) return as === 'deny';
      if (!matchPath(c.glob, value)) return false;
    }
    if (c.pattern !== undefined) {
      if (typeof value !== 'string') return false;
      let re = this.patterns.get(c.pattern);
      if (!re) this.patterns.set(c.pattern, (re = new RegExp(`^(?:${c.pattern})$`, 'u')));
      if (!re.test(value)) return false;
    }
    return true;
  }
}

function claimsMatch(wanted: Record<string, unknown>, claims: Record<string, unknown> | undefined): boolean {
  for (const [path, expected] of Object.entries(wanted)) {
    const actual = claimAt(claims, path);
    const accepted = Array.isArray(expected) ? expected : [expected];
    const values = Array.isArray(actual) ? actual : [actual];
    if (!values.some((v) => accepted.some((a) => a === v))) return false;
  }
  return true;
}

