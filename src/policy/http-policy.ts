import type { AuthInfo } from '@modelcontextprotocol/server';
import type { AuthConfig, InputLimitsConfig } from '../config/auth-schema.js';
import type { OutletError} from '../errors/index.js';
import { isOutletError, jsonRpcErrorBody } from '../errors/index.js';
import type { Principal } from './call-context.js';
import type { SecurityAudit } from './audit/security-audit.js';
import type { AuthOutcome, HttpAuthenticator } from './authn/authenticator.js';
import { anonymousPrincipal, authInfoFor } from './authn/principal.js';
import { checkInputLimits } from './limits/input-limits.js';

/** What the HTTP-facing half reads of the current config. */
export interface HttpPolicyState {
  /** Some policy section is configured (otherwise requests run with no principal at all). */
  active: boolean;
  authenticator?: HttpAuthenticator;
  auth?: Pick<AuthConfig, 'adminRoles'>;
  limits: InputLimitsConfig;
  audit: SecurityAudit;
}

/** What authentication found for one HTTP request. */
export interface Authenticated {
  principal?: Principal;
  authInfo?: AuthInfo;
}

/**
 * What the HTTP layer hands an MCP endpoint with one request: the caller's identity, the content
 * limits of a parsed message, and how a refusal of the policy chain is answered over HTTP.
 */
export interface InboundPolicy {
  /** For the SDK transport (`handleRequest(req, { authInfo })`); carries the principal. */
  authInfo?: AuthInfo;
  principal?: Principal;
  /** A 2025-era session stays bound to the principal that opened it. */
  principalId?: string;
  /** Content limits of one parsed message, checked before the SDK sees it: a 400, or undefined. */
  checkMessage(body: unknown): Response | undefined;
  /**
   * The HTTP answer to a refusal of the policy chain, when it needs an HTTP status: 401, 403
   * insufficient_scope with its challenge (RFC 6750 section 3.1), 429 with Retry-After (RFC 6585
   * section 4). Undefined for every other error, which the client gets as a JSON-RPC error.
   */
  refusal(err: unknown, id: string | number | null): Response | undefined;
}

function rpcResponse(err: OutletError, id: string | number | null, headers: Record<string, string> = {}): Response {
  return new Response(jsonRpcErrorBody(err, id), { status: err.httpStatus, headers: { 'content-type': 'application/json', ...headers } });
}

/**
 * The policy layer's HTTP-facing half, apart from the chain: credentials (API keys, JWT), the
 * RFC 9728 protected-resource metadata, public paths, the roles /api/* needs, and the HTTP
 * answers to the chain's refusals.
 */
export class HttpPolicy {
  constructor(private readonly state: () => HttpPolicyState) {}

  /** True when some policy section is configured. */
  get active(): boolean {
    return this.state().active;
  }

  /** True when requests need credentials (an `auth` section). */
  get authEnabled(): boolean {
    return this.state().authenticator !== undefined;
  }

  /** Roles that may use /api/* (undefined when auth is off: the API is open). */
  get adminRoles(): readonly string[] | undefined {
    return this.state().auth?.adminRoles;
  }

  get inputLimits(): InputLimitsConfig {
    return this.state().limits;
  }

  /** Paths that skip authentication (the configured public ones and the resource metadata). */
  isPublicPath(pathname: string): boolean {
    const { authenticator } = this.state();
    return !authenticator || authenticator.isPublic(pathname);
  }

  /** The RFC 9728 protected-resource metadata, for `GET /.well-known/oauth-protected-resource[...]`. */
  metadataResponse(request: Request): Response | undefined {
    return this.state().authenticator?.metadata.response(request);
  }

  /**
   * Authenticates an HTTP request. Without an `auth` section: no credentials needed; when other
   * sections are active the request runs as the anonymous principal.
   */
  async authenticate(request: Request): Promise<AuthOutcome | { ok: true; principal?: undefined; authInfo?: undefined }> {
    const { authenticator, active } = this.state();
    if (authenticator) return authenticator.authenticate(request);
    if (!active) return { ok: true };
    const principal = anonymousPrincipal();
    return { ok: true, principal, authInfo: authInfoFor(principal) };
  }

  /** The per-request part an MCP endpoint gets for a request on `path`. */
  inbound(path: string, outcome: Authenticated): InboundPolicy {
    return {
      ...(outcome.authInfo ? { authInfo: outcome.authInfo } : {}),
      ...(outcome.principal ? { principal: outcome.principal, principalId: outcome.principal.id } : {}),
      checkMessage: (body) => this.checkMessage(path, body, outcome.principal),
      refusal: (err, id) => this.refusal(path, err, id),
    };
  }

  private checkMessage(path: string, body: unknown, principal: Principal | undefined): Response | undefined {
    const state = this.state();
    try {
      checkInputLimits(body, state.limits);
      return undefined;
    } catch (err) {
      if (!isOutletError(err)) throw err;
      state.audit.record({ event: 'input.rejected', principal: principal ?? null, target: { path }, decision: 'deny', reason: err.message });
      const id = (body as { id?: unknown } | null)?.id;
      return rpcResponse(err, typeof id === 'string' || typeof id === 'number' ? id : null);
    }
  }

  private refusal(path: string, err: unknown, id: string | number | null): Response | undefined {
    if (!isOutletError(err)) return undefined;
    const { authenticator } = this.state();
    if (err.code === 'INSUFFICIENT_SCOPE' && authenticator) {
      const scopes = (err.data as { scopes?: string[] } | undefined)?.scopes ?? [];
      return authenticator.insufficientScope(path, scopes, 'this request needs more scope');
    }
    if (err.code === 'RATE_LIMITED') {
      const retryAfter = (err.data as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds ?? 1;
      return rpcResponse(err, id, { 'retry-after': String(retryAfter) });
    }
    return undefined;
  }
}
