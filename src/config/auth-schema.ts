import { isAbsolute, resolve } from 'node:path';
import * as z from 'zod';
import { rateLimitsSchema, splitRateLimits, type RateLimitConfig, type RateLimitStoreSettings } from './rate-limit-schema.js';

/**
 * Input schemas of the security sections of the config file: `auth` (who is calling),
 * `policies` (what they may touch), `rateLimits`, `inputLimits`, `pinning` (tool definitions
 * approved once, withheld when they change) and `audit` (where security events go). Mounted into
 * the gateway schema by spreading {@link securityShape} into `gatewayShape`; the normalizer copies
 * the parsed sections through {@link normalizeSecurity}, which makes file paths absolute.
 *
 * Without an `auth` section the gateway stays local and unauthenticated: every request runs as the
 * anonymous principal and the other sections (policies, rate limits) still apply to it.
 */

/** Signature algorithms a JWT may use. `none` and the HMAC family are not on the list, ever. */
export const JWT_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'] as const;

/** Paths that may be served without credentials when auth is on. */
export const PUBLIC_PATH_CHOICES = ['/health', '/ready', '/metrics'] as const;

const httpUrl = z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' });
const names = z.array(z.string().min(1));
const globs = (what: string) => names.describe(what);

const apiKeySchema = z
  .strictObject({
    sha256: z
      .string()
      .regex(/^[0-9a-fA-F]{64}$/, { error: 'expected the sha256 of the key as 64 hex digits (never the key itself): printf %s "$KEY" | sha256sum' })
      .describe('SHA-256 of the key, hex. The key itself never appears in the config: printf %s "$KEY" | sha256sum.'),
    principal: z.string().min(1).describe('The principal (caller identity) this key authenticates as, e.g. "ci-bot".'),
    roles: names.default([]).describe('Roles of that principal, matched by policies[].roles.'),
    scopes: names.default([]).describe('OAuth-style scopes the key carries, for policies that require scopes.'),
    description: z.string().optional().describe('Free text for people (what the key is for, who holds it).'),
  })
  .describe('One API key, sent as "Authorization: Bearer <key>".');

const jwtSchema = z
  .strictObject({
    issuer: z
      .union([z.string().min(1), names.min(1)])
      .optional()
      .describe('Accepted "iss" value(s). Default: auth.authorizationServers.'),
    audience: z
      .union([z.string().min(1), names.min(1)])
      .optional()
      .describe('Accepted "aud" value(s). Default: auth.resource, and the endpoint\'s own resource URI on per-server endpoints (RFC 8707 audience binding).'),
    jwksUri: httpUrl.optional().describe('URL of the JSON Web Key Set (https, or http on loopback only). Keys are cached and refetched when a token names an unknown "kid".'),
    jwksFile: z.string().min(1).optional().describe('A JSON Web Key Set file instead of a URL; re-read when a token names an unknown "kid".'),
    algorithms: z
      .array(z.enum(JWT_ALGORITHMS))
      .min(1)
      .default(['RS256', 'PS256', 'ES256', 'EdDSA'])
      .describe('Signature algorithms accepted. "none" and HS* can never be configured. Default: RS256, PS256, ES256, EdDSA.'),
    rolesClaim: z.string().min(1).default('roles').describe('Claim holding the roles (a dotted path such as "realm_access.roles"; an array or a space-separated string). Default: "roles".'),
    principalClaim: z.string().min(1).default('sub').describe('Claim that names the principal. Default: "sub".'),
    clockToleranceSeconds: z.int().min(0).max(300).default(5).describe('Allowed clock skew for exp/nbf/iat, in seconds. Default: 5.'),
    jwksCooldownMs: z.int().min(0).default(30_000).describe('Least time between two key-set fetches caused by unknown "kid"s, in milliseconds. Default: 30000.'),
    jwksCacheMaxAgeMs: z.int().positive().default(600_000).describe('How long fetched keys are trusted before a refetch, in milliseconds. Default: 600000.'),
  })
  .refine((j) => (j.jwksUri === undefined) !== (j.jwksFile === undefined), { error: 'set exactly one of jwksUri and jwksFile' })
  .describe('JWT bearer tokens (OAuth 2.1 access tokens) validated against a JWKS.');

export const authSchema = z
  .strictObject({
    resource: httpUrl
      .optional()
      .describe('This outlet\'s resource identifier (RFC 8707), e.g. "https://outlet.example.com/mcp": the audience tokens must carry and the "resource" of the RFC 9728 metadata. Required with jwt.'),
    authorizationServers: z
      .array(httpUrl)
      .min(1)
      .optional()
      .describe('Issuer URLs of the OAuth authorization servers clients should get tokens from (RFC 9728 authorization_servers). Required with jwt.'),
    scopesSupported: names.optional().describe('Scopes advertised in the protected-resource metadata (scopes_supported).'),
    requiredScopes: names.default([]).describe('Scopes every request must carry (403 insufficient_scope otherwise). Default: none.'),
    resourceName: z.string().min(1).optional().describe('Human-readable name in the protected-resource metadata (resource_name).'),
    apiKeys: z.array(apiKeySchema).default([]).describe('API keys, stored only as SHA-256, each mapped to a principal with roles.'),
    jwt: jwtSchema.optional(),
    anonymous: z.boolean().default(false).describe('Serve requests without credentials, as the principal "anonymous". Default: false.'),
    anonymousRoles: names.default(['anonymous']).describe('Roles of the anonymous principal. Default: ["anonymous"].'),
    publicPaths: z
      .array(z.enum(PUBLIC_PATH_CHOICES))
      .default(['/health'])
      .describe('Paths served without credentials. Default: ["/health"]. The protected-resource metadata is always public.'),
    adminRoles: names
      .default(['admin'])
      .describe('Roles that may use the /api/* endpoints (reload, server logs). Default: ["admin"].'),
    defaultDecision: z
      .enum(['deny', 'allow'])
      .default('deny')
      .describe('What happens to a tool call, prompt or resource read that no policy matches. Default: "deny".'),
    stdio: z
      .strictObject({
        principal: z.string().min(1).default('local').describe('Principal name of `outlet stdio` clients. Default: "local".'),
        roles: names.default([]).describe('Their roles. Default: none.'),
      })
      .prefault({})
      .describe('`outlet stdio` has no HTTP credentials: whoever can start it can read this file. Its requests run as this principal.'),
  })
  .refine((a) => !a.jwt || (a.resource !== undefined && a.authorizationServers !== undefined), {
    error: 'jwt needs auth.resource and auth.authorizationServers (the protected-resource metadata clients discover)',
  })
  .describe('Authentication of every inbound HTTP request. Without this section the gateway is local and unauthenticated.');

/** A value a policy compares an argument or claim with. */
const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

const argumentConditionSchema = z
  .strictObject({
    glob: globs('The argument is a string matching one of these globs ("/data/**"). A value with ".." path segments never matches an allow rule and always matches a deny rule.').optional(),
    equals: z.array(scalar).min(1).optional().describe('The argument equals one of these values.'),
    pattern: z.string().min(1).optional().describe('The argument is a string matching this regular expression (anchored: ^...$).'),
    absent: z.boolean().optional().describe('true: the argument must be absent; false: it must be present.'),
  })
  .describe('Conditions on one argument; all given must hold.');

export const policyRuleSchema = z
  .strictObject({
    effect: z.enum(['allow', 'deny']).describe('"deny" wins over "allow" when both match.'),
    description: z.string().optional().describe('Free text for people; shown in audit records.'),
    roles: names.optional().describe('The principal has one of these roles. Absent: any principal.'),
    principals: globs('The principal id matches one of these globs.').optional(),
    claims: z
      .record(z.string(), z.union([scalar, z.array(scalar)]))
      .optional()
      .describe('JWT claims (dotted paths) that must have one of the given values; an array claim must contain one.'),
    servers: globs('The target server (config name) matches one of these globs.').optional(),
    tools: globs('Published tool names, namespaced as on /mcp ("fs__read_*"); per-server endpoints are matched under the same names.').optional(),
    prompts: globs('Published prompt names, namespaced as on /mcp.').optional(),
    resources: globs('Resource URIs ("file:///data/**").').optional(),
    rpc: z
      .array(z.enum(['inline']))
      .optional()
      .describe('Gateway capabilities: "inline" is running servers described inside /rpc requests (remote code execution by design). Granted only by an allow rule naming it, never by a rule without targets nor by auth.defaultDecision. Default: not granted.'),
    arguments: z
      .record(z.string(), argumentConditionSchema)
      .optional()
      .describe('Conditions on tool-call arguments or prompt arguments, by dotted path ("path", "options.mode").'),
    scopes: names.optional().describe('allow only: scopes the token must carry for this rule to allow; a missing scope answers 403 insufficient_scope.'),
  })
  .refine((r) => r.effect === 'allow' || r.scopes === undefined, { error: 'scopes only make sense on an allow rule' })
  .describe('One authorization rule. A rule with none of tools/prompts/resources applies to all three kinds.');

export const policiesSchema = z
  .array(policyRuleSchema)
  .describe('Authorization rules for tools/call, prompts/get and resources/read (and completions and subscriptions on them). Denied tools disappear from tools/list.');

const serverInputSchema = z
  .strictObject({
    validateArguments: z.boolean().optional().describe('Override inputLimits.validateArguments for this server.'),
  })
  .describe('Per-server input settings.');

export const inputLimitsSchema = z
  .strictObject({
    maxDepth: z.int().positive().default(64).describe('Deepest nesting of arrays and objects in a request. Default: 64.'),
    maxStringLength: z.int().positive().default(1_048_576).describe('Longest string (or object key) in a request, in characters. Default: 1048576.'),
    validateArguments: z
      .boolean()
      .default(true)
      .describe('Check tools/call arguments against the tool\'s inputSchema before forwarding (-32602 with the failing path). Default: true.'),
    servers: z.record(z.string(), serverInputSchema).default({}).describe('Per-server overrides, by server name.'),
  })
  .describe('Limits on request content.');

export const pinningSchema = z
  .strictObject({
    lockFile: z.string().min(1).default('outlet.lock.json').describe('The lock file `outlet pin` writes: a sha256 per tool. Relative to the config file. Default: "outlet.lock.json".'),
    mode: z
      .enum(['enforce', 'warn', 'off'])
      .default('enforce')
      .describe('"enforce": a tool whose definition changed is withheld until re-approved; "warn": only logged; "off". Default: "enforce".'),
    unpinned: z
      .enum(['pin', 'allow', 'withhold'])
      .default('pin')
      .describe('A tool not in the lock file: "pin" it on first sight (default), "allow" it unpinned, or "withhold" it until `outlet pin`.'),
  })
  .describe('Tool pinning: a tool\'s name, description and schemas approved once; a change is withheld and logged.');

export const auditSchema = z
  .strictObject({
    file: z.string().min(1).describe('Append-only JSON-lines file for security events (auth failures, denials, rate limits, pin violations). Relative to the config file.'),
    allowed: z.boolean().default(false).describe('Also record allowed calls. Default: false (only refusals and pin events).'),
  })
  .describe('Audit trail of security events.');

/** Keys to spread into the gateway schema's shape. */
export const securityShape = {
  auth: authSchema.optional(),
  policies: policiesSchema.optional(),
  rateLimits: rateLimitsSchema.optional(),
  inputLimits: inputLimitsSchema.optional(),
  pinning: pinningSchema.optional(),
  audit: auditSchema.optional(),
};

export const securitySectionsSchema = z.strictObject(securityShape);

export type AuthConfig = z.output<typeof authSchema>;
export type JwtConfig = NonNullable<AuthConfig['jwt']>;
export type ApiKeyConfig = AuthConfig['apiKeys'][number];
export type PolicyRule = z.output<typeof policyRuleSchema>;
export type ArgumentCondition = z.output<typeof argumentConditionSchema>;
export type { RateLimitConfig, RateLimitStoreSettings } from './rate-limit-schema.js';
export { rateLimitsSchema } from './rate-limit-schema.js';
export type InputLimitsConfig = z.output<typeof inputLimitsSchema>;
export type PinningConfig = z.output<typeof pinningSchema>;
export type AuditConfig = z.output<typeof auditSchema>;

/** The security sections as parsed, before {@link normalizeSecurity}. */
export type SecuritySectionsInput = z.output<typeof securitySectionsSchema>;

/** The security sections as the rest of the outlet consumes them (paths absolute). */
export interface SecuritySections {
  auth?: AuthConfig;
  policies?: PolicyRule[];
  rateLimits?: RateLimitConfig[];
  /** Where rate-limit buckets live (from the object spelling of `rateLimits`); absent: in memory, failures allowed. */
  rateLimitStore?: RateLimitStoreSettings;
  inputLimits?: InputLimitsConfig;
  pinning?: PinningConfig;
  audit?: AuditConfig;
}

/** Input limits when the config has none. */
export const DEFAULT_INPUT_LIMITS: InputLimitsConfig = inputLimitsSchema.parse({});

/**
 * Copies the parsed sections into the normalized config, with file paths made absolute against
 * the config file's directory. Absent sections stay absent.
 */
export function normalizeSecurity(input: SecuritySectionsInput, baseDir: string): SecuritySections {
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(baseDir, p));
  const out: SecuritySections = {};
  if (input.auth) out.auth = input.auth.jwt?.jwksFile ? { ...input.auth, jwt: { ...input.auth.jwt, jwksFile: abs(input.auth.jwt.jwksFile) } } : input.auth;
  if (input.policies) out.policies = input.policies;
  if (input.rateLimits) {
    const { limits, settings } = splitRateLimits(input.rateLimits);
    out.rateLimits = limits;
    if (settings) out.rateLimitStore = settings;
  }
  if (input.inputLimits) out.inputLimits = input.inputLimits;
  if (input.pinning) out.pinning = { ...input.pinning, lockFile: abs(input.pinning.lockFile) };
  if (input.audit) out.audit = { ...input.audit, file: abs(input.audit.file) };
  return out;
}

/**
 * Parses the security sections on their own (tests, and callers that hold them apart from the
 * rest of the config). Throws a zod error naming each path.
 */
export function parseSecuritySections(raw: unknown, baseDir = process.cwd()): SecuritySections {
  return normalizeSecurity(securitySectionsSchema.parse(raw), baseDir);
}
