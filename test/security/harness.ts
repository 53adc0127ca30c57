import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseSecuritySections, type SecuritySections } from '../../src/config/auth-schema.js';
import type { SecurityEvent } from '../../src/policy/audit/security-audit.js';
import { parseConfig } from '../../src/config/index.js';
import type { Gateway } from '../../src/gateway/gateway.js';
import type { PolicyLayer } from '../../src/policy/policy-layer.js';
import { startOutlet } from '../../src/outlet/runtime.js';
import { silentLogger } from '../../src/observability/logger.js';

export const FIXTURE = fileURLToPath(new URL('./fixtures/secure-fixture.mjs', import.meta.url));

export interface SecureOutlet {
  url: string;
  gateway: Gateway;
  security: PolicyLayer;
  /** The audit file's records so far (needs `audit.file` in the sections). */
  auditRecords(): SecurityEvent[];
  close(): Promise<void>;
}

/** Starts an outlet with security sections in its config on 127.0.0.1, port 0, as in production. */
export async function startSecureOutlet(raw: Record<string, unknown>, sections: Record<string, unknown>): Promise<SecureOutlet> {
  const parsedSections: SecuritySections = parseSecuritySections(sections);
  const audit = parsedSections.audit?.file;
  const auditRecords = () => {
    if (!audit) return [];
    try {
      return readFileSync(audit, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as SecurityEvent);
    } catch {
      return [];
    }
  };
  const config = parseConfig({ ...raw, ...sections }, { baseDir: process.cwd() });
  const runtime = await startOutlet({ config, host: '127.0.0.1', port: 0, logger: silentLogger() });
  return { url: runtime.url, gateway: runtime.gateway, security: runtime.gateway.policies, auditRecords, close: () => runtime.close() };
}
