/**
 * Security (issue 7): authentication of inbound HTTP requests (API keys, JWT bearer tokens, the
 * OAuth 2.1 protected-resource behaviour of the MCP authorization spec), authorization policies,
 * rate limits, input limits, tool pinning and the security audit trail.
 */
export {
  securityShape,
  securitySectionsSchema,
  normalizeSecurity,
  parseSecuritySections,
  DEFAULT_INPUT_LIMITS,
  type AuthConfig,
  type PolicyRule,
  type RateLimitConfig,
  type InputLimitsConfig,
  type PinningConfig,
  type AuditConfig,
  type SecuritySections,
} from '../config/auth-schema.js';
export { Security, createSecurity, type SecurityConfig, type SecurityDeps, type SecurityPolicies, type InboundSecurity } from './security.js';
export { MemoryRateLimitStore, type RateLimitStore, type BucketSpec, type TakeResult } from './rate-limit/rate-limit.js';
export { toolDigest, readLockFile, writeLockFile, type LockFile } from './pins/pin-store.js';
// Redaction is shared with observability: src/observability/redact.ts (Redactor, REDACTED).
export type { SecurityEvent } from './audit/security-audit.js';
