import { createHash } from 'node:crypto';
import { OAuthError, OAuthErrorCode, bearerAuthChallengeResponse, verifyBearerToken, type AuthInfo } from '@modelcontextprotocol/server';
import type { Principal } from '../call-context.js';
import type { ApiKeyConfig, AuthConfig } from '../../config/auth-schema.js';
import { JwtVerifier } from './jwt-verifier.js';
import { anonymousPrincipal, authInfoFor, outletAuthOf } from './principal.js';
import { ResourceMetadata } from './resource-metadata.js';
import type { SecurityAudit } from '../audit/security-audit.js';

/** Longest bearer credential looked at; anything longer is refused unread. */
const MAX_TOKEN_LENGTH = 16 * 1024;

/** The result of authenticating one HTTP request. */
export type AuthOutcome =
  | { ok: true; principal: Principal; authInfo: AuthInfo }
  | { ok: false; response: Response };

/**
 * Authenticates inbound HTTP requests (MCP authorization spec, OAuth 2.1 resource server):
 * `Authorization: Bearer <credential>` where the credential is an API key (compared by SHA-256)
 * or a JWT (see {@link JwtVerifier}). The SDK's `verifyBearerToken` parses the header and checks
 * expiry and required scopes; its `bearerAuthChallengeResponse` builds the 401/403 answers with
 * `WWW-Authenticate: Bearer ..., resource_metadata="..."`.
 */
export class HttpAuthenticator {
  readonly metadata: ResourceMetadata;
  private readonly jwt?: JwtVerifier;
  /** SHA-256 hex of each key -> its entry. A lookup by digest leaks nothing usable about a key. */
  private readonly keys = new Map<string, ApiKeyConfig>();
  private readonly publicPaths: ReadonlySet<string>;

  constructor(
    private readonly auth: AuthConfig,
    private readonly audit: SecurityAudit,
  ) {
    this.metadata = new ResourceMetadata(auth);
    if (auth.jwt) this.jwt = new JwtVerifier(auth.jwt, { authorizationServers: auth.authorizationServers ?? [] });
    for (const key of auth.apiKeys) this.keys.set(key.sha256.toLowerCase(), key);
    this.publicPaths = new Set(auth.publicPaths);
  }

  /** Paths served without credentials: the configured public ones and the protected-resource metadata. */
  isPublic(pathname: string): boolean {
    return this.publicPaths.has(pathname) || pathname === '/.well-known/oauth-protected-resource' || pathname.startsWith('/.well-known/oauth-protected-resource/');
  }

  async authenticate(request: Request): Promise<AuthOutcome> {
    const path = new URL(request.url).pathname;
    const resourceMetadataUrl = this.metadata.metadataUrlFor(path);
    const header = request.headers.get('authorization');
    if (header === null || header.trim() === '') {
      if (this.auth.anonymous) {
        const principal = anonymousPrincipal(this.auth.anonymousRoles);
        return { ok: true, principal, authInfo: authInfoFor(principal) };
      }
      this.audit.record({ event: 'auth.failure', target: { path, method: request.method }, decision: 'deny', reason: 'no credentials' });
      return { ok: false, response: this.missingCredentials(resourceMetadataUrl) };
    }
    try {
      const authInfo = await verifyBearerToken(header, {
        verifier: { verifyAccessToken: (token) => this.verifyToken(token, path) },
        requiredScopes: this.auth.requiredScopes,
        ...(resourceMetadataUrl ? { resourceMetadataUrl } : {}),
      });
      const principal = outletAuthOf(authInfo)!.principal;
      return { ok: true, principal, authInfo };
    } catch (err) {
      // "description (code)", not "code: description": "invalid_token: <word>" reads as a secret to the redactor.
      const reason = err instanceof OAuthError ? `${err.message} (${err.code})` : 'verification failed';
      this.audit.record({ event: 'auth.failure', target: { path, method: request.method }, decision: 'deny', reason });
      return {
        ok: false,
        response: bearerAuthChallengeResponse(err, { requiredScopes: this.auth.requiredScopes, ...(resourceMetadataUrl ? { resourceMetadataUrl } : {}) }),
      };
    }
  }

  /** The 403 a request gets when a policy needs scopes its token lacks (RFC 6750 insufficient_scope). */
  insufficientScope(pathname: string, scopes: readonly string[], description: string): Response {
    const resourceMetadataUrl = this.metadata.metadataUrlFor(pathname);
    return bearerAuthChallengeResponse(new OAuthError(OAuthErrorCode.InsufficientScope, description), {
      requiredScopes: [...scopes],
      ...(resourceMetadataUrl ? { resourceMetadataUrl } : {}),
    });
  }

  private async verifyToken(token: string, path: string): Promise<AuthInfo> {
    if (token.length > MAX_TOKEN_LENGTH) throw new OAuthError(OAuthErrorCode.InvalidToken, 'credential is too long');
    const key = this.keys.get(createHash('sha256').update(token, 'utf8').digest('hex'));
    if (key) {
      const principal: Principal = { id: key.principal, roles: [...key.roles], scopes: [...key.scopes], claims: {}, via: 'api-key' };
      const resource = this.metadata.resourceFor(path);
      // API keys do not expire; the SDK's bearer check wants an expiry, so this AuthInfo (which
      // lives for one request) carries one a minute ahead.
      return authInfoFor(principal, {
        token,
        clientId: key.principal,
        scopes: [...key.scopes],
        expiresAt: Math.floor(Date.now() / 1000) + 60,
        ...(resource ? { resource: new URL(resource) } : {}),
      });
    }
    if (this.jwt && JwtVerifier.looksLikeJwt(token)) {
      const { principal, authInfo } = await this.jwt.verify(token, this.metadata.audiencesFor(path));
      return authInfoFor(principal, authInfo);
    }
    throw new OAuthError(OAuthErrorCode.InvalidToken, this.jwt ? 'unknown API key or malformed token' : 'unknown API key');
  }

  /**
   * 401 for a request that carries no credentials at all. RFC 6750 section 3.1: then the
   * challenge SHOULD NOT carry an error code; it names where to learn how to get a token.
   */
  private missingCredentials(resourceMetadataUrl: string | undefined): Response {
    const params: string[] = [];
    if (resourceMetadataUrl) params.push(`resource_metadata="${quoted(resourceMetadataUrl)}"`);
    if (this.auth.requiredScopes.length > 0) params.push(`scope="${quoted(this.auth.requiredScopes.join(' '))}"`);
    const challenge = params.length > 0 ? `Bearer ${params.join(', ')}` : 'Bearer realm="mcp-outlet"';
    return Response.json(
      { error: 'invalid_request', error_description: 'authentication required: send Authorization: Bearer <token or API key>' },
      { status: 401, headers: { 'www-authenticate': challenge } },
    );
  }
}

/** An HTTP quoted-string body: backslash and quote escaped, anything unprintable replaced. */
function quoted(value: string): string {
  return value.replaceAll(/[\\"]/g, (c) => `\\${c}`).replaceAll(/[^\u0020-\u007e]/g, ' ');
}
