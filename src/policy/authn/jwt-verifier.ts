import { readFileSync, statSync } from 'node:fs';
import { OAuthError, OAuthErrorCode, type AuthInfo } from '@modelcontextprotocol/server';
import { createRequire } from 'node:module';
import type * as Jose from 'jose';
import type { JSONWebKeySet, JWTPayload, JWTVerifyGetKey } from 'jose';
import type { Principal } from '../call-context.js';
import type { JwtConfig } from '../../config/auth-schema.js';
import { claimAt, stringList } from './principal.js';

/** jose costs about 9 MB of memory: loaded on first use, by a gateway that configures JWTs. */
let joseModule: typeof Jose | undefined;
const jose = (): typeof Jose => (joseModule ??= createRequire(import.meta.url)('jose') as typeof Jose);

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/** A verified token: who it names, and the AuthInfo the SDK carries for it. */
export interface VerifiedToken {
  principal: Principal;
  authInfo: AuthInfo;
}

/** A thrown reason that is the server's fault (key set unreachable), not the token's. */
function serverError(message: string): OAuthError {
  return new OAuthError(OAuthErrorCode.ServerError, message);
}

function invalid(message: string): OAuthError {
  return new OAuthError(OAuthErrorCode.InvalidToken, message);
}

/**
 * Keys from a JWKS file: loaded once, re-read when a token names a key the loaded set does not
 * have (rotation by replacing the file), at most once per cooldown.
 */
function fileKeySet(path: string, cooldownMs: number): JWTVerifyGetKey {
  let loadedAt = 0;
  let mtime = -1;
  let keys: JWTVerifyGetKey | undefined;
  const load = () => {
    const stat = statSync(path);
    if (stat.mtimeMs !== mtime || !keys) {
      keys = jose().createLocalJWKSet(JSON.parse(readFileSync(path, 'utf8')) as JSONWebKeySet);
      mtime = stat.mtimeMs;
    }
    loadedAt = Date.now();
    return keys;
  };
  return async (header, token) => {
    const current = keys ?? load();
    try {
      return await current(header, token);
    } catch (err) {
      if (!(err instanceof jose().errors.JWKSNoMatchingKey) || Date.now() - loadedAt < cooldownMs) throw err;
      return load()(header, token);
    }
  };
}

function remoteKeySet(uri: string, config: JwtConfig): JWTVerifyGetKey {
  const url = new URL(uri);
  if (url.protocol !== 'https:' && !LOOPBACK_HOSTS.has(url.hostname)) {
    throw new Error(`auth.jwt.jwksUri must be https (http only on loopback): ${uri}`);
  }
  return jose().createRemoteJWKSet(url, { cooldownDuration: config.jwksCooldownMs, cacheMaxAge: config.jwksCacheMaxAgeMs, timeoutDuration: 5000 });
}

/**
 * Validates JWT bearer tokens: signature against the configured JWKS (an allowlist of
 * algorithms, never `none`), issuer, audience (RFC 8707: the outlet's resource URI), `exp`
 * (required) and `nbf`, with a small clock tolerance. Claims become the principal: its id from
 * `principalClaim`, roles from `rolesClaim`, scopes from `scope`/`scp`.
 */
export class JwtVerifier {
  private readonly keys: JWTVerifyGetKey;
  private readonly issuers: string[];

  constructor(
    private readonly config: JwtConfig,
    defaults: { authorizationServers: string[] },
  ) {
    this.keys = config.jwksUri ? remoteKeySet(config.jwksUri, config) : fileKeySet(config.jwksFile!, config.jwksCooldownMs);
    this.issuers = config.issuer === undefined ? defaults.authorizationServers : typeof config.issuer === 'string' ? [config.issuer] : config.issuer;
  }

  /** True when the token has the shape of a JWS (three base64url parts); API keys do not. */
  static looksLikeJwt(token: string): boolean {
    return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(token);
  }

  /**
   * Verifies `token` for a request whose acceptable audiences are `audiences` (the configured
   * audience, or the resource URIs of the outlet and of the endpoint). Throws an OAuthError:
   * `invalid_token` for anything wrong with the token, `server_error` when keys cannot be had.
   */
  async verify(token: string, audiences: readonly string[]): Promise<VerifiedToken> {
    const audience = this.config.audience === undefined ? [...audiences] : typeof this.config.audience === 'string' ? [this.config.audience] : this.config.audience;
    let payload: JWTPayload;
    try {
      ({ payload } = await jose().jwtVerify(token, this.keys, {
        algorithms: [...this.config.algorithms],
        issuer: this.issuers,
        audience,
        clockTolerance: this.config.clockToleranceSeconds,
        requiredClaims: ['exp'],
      }));
    } catch (err) {
      throw describeJoseError(err);
    }
    const id = claimAt(payload, this.config.principalClaim);
    if (typeof id !== 'string' || id.length === 0) throw invalid(`token has no "${this.config.principalClaim}" claim naming the caller`);
    const scopes = stringList(payload.scope ?? payload.scp);
    const principal: Principal = {
      id,
      roles: stringList(claimAt(payload, this.config.rolesClaim)),
      claims: payload as Record<string, unknown>,
      scopes,
      via: 'jwt',
    };
    const aud = stringList(payload.aud);
    const matched = aud.find((a) => audience.includes(a));
    const clientId = typeof payload.client_id === 'string' ? payload.client_id : typeof payload.azp === 'string' ? payload.azp : id;
    const authInfo: AuthInfo = {
      token,
      clientId,
      scopes,
      expiresAt: payload.exp!,
      ...(matched && URL.canParse(matched) ? { resource: new URL(matched) } : {}),
    };
    return { principal, authInfo };
  }
}

/** A jose failure as an OAuthError whose description says what was wrong, never the token. */
function describeJoseError(err: unknown): OAuthError {
  if (err instanceof jose().errors.JWTExpired) return invalid('token has expired');
  if (err instanceof jose().errors.JWTClaimValidationFailed) {
    if (err.claim === 'nbf') return invalid('token is not valid yet (nbf)');
    return invalid(`token "${err.claim}" claim is not acceptable (${err.reason})`);
  }
  if (err instanceof jose().errors.JOSEAlgNotAllowed) return invalid('token signature algorithm is not allowed');
  if (err instanceof jose().errors.JWSSignatureVerificationFailed) return invalid('token signature is invalid');
  if (err instanceof jose().errors.JWKSNoMatchingKey) return invalid('no key of the key set matches the token (unknown "kid")');
  if (err instanceof jose().errors.JWKSMultipleMatchingKeys) return invalid('several keys of the key set match the token; it must name its "kid"');
  if (err instanceof jose().errors.JWKSTimeout) return serverError('the key set could not be fetched in time');
  if (err instanceof jose().errors.JWKSInvalid) return serverError('the key set is not a valid JWKS');
  if (err instanceof jose().errors.JOSENotSupported) return invalid('token uses an unsupported algorithm or key type');
  if (err instanceof jose().errors.JWSInvalid || err instanceof jose().errors.JWTInvalid) return invalid('token is malformed');
  if (err instanceof jose().errors.JOSEError) return invalid(`token was refused (${err.code})`);
  // fetch failures of the remote key set, file errors: the server's problem.
  return serverError('the key set could not be loaded');
}
