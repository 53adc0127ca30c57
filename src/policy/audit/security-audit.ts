import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';
import { once } from 'node:events';
import type { Logger } from '../../observability/logger.js';
import type { Principal } from '../call-context.js';
import { Redactor } from '../../shared/redact.js';

export type SecurityEventKind =
  | 'auth.failure'
  | 'authz.deny'
  | 'authz.insufficient_scope'
  | 'authz.allow'
  | 'rate.limited'
  | 'pin.violation'
  | 'pin.unapproved'
  | 'pin.first_sight'
  | 'input.rejected'
  | 'session.mismatch';

/** What a request was aimed at. */
export interface SecurityTarget {
  method?: string;
  /** HTTP path, for events decided before any MCP parsing. */
  path?: string;
  endpoint?: string;
  server?: string;
  tool?: string;
  prompt?: string;
  uri?: string;
}

/** One line of the audit file. */
export interface SecurityEvent {
  time: string;
  event: SecurityEventKind;
  principal: { id: string; roles: string[]; via?: string } | null;
  target: SecurityTarget;
  decision: 'deny' | 'allow' | 'withhold' | 'limit' | 'record';
  reason: string;
  /** The policy rule that decided, when one did (its description, or its index). */
  rule?: string;
}

/**
 * The security audit trail: one JSON line per event (auth failure, denial, rate limit, pin
 * violation) in an append-only file, each with principal, target, decision and reason, secrets
 * redacted. Every event also goes to the application log at warn level (info for first-sight
 * pins and allowed calls).
 */
/** The outlet's one redaction (shared with observability): built-in secret keys and patterns. */
const redactor = new Redactor();

export class SecurityAudit {
  private stream?: WriteStream;
  private closed = false;

  constructor(
    file: string | undefined,
    private readonly logger?: Logger,
    private readonly sink?: (event: SecurityEvent) => void,
  ) {
    if (file) {
      mkdirSync(dirname(file), { recursive: true });
      // 'a': O_APPEND, so every write lands at the end whoever else holds the file; 0600: the
      // trail names principals and targets and is for operators only.
      this.stream = createWriteStream(file, { flags: 'a', mode: 0o600 });
      this.stream.on('error', (err) => this.logger?.error({ err: { name: err.name, message: redactor.redactString(err.message) } }, 'security audit file cannot be written'));
    }
  }

  record(event: Omit<SecurityEvent, 'time' | 'principal'> & { principal?: Principal | null }): void {
    if (this.closed) return;
    const line = redactor.redactValue({
      time: new Date().toISOString(),
      ...event,
      principal: event.principal ? { id: event.principal.id, roles: event.principal.roles, ...(event.principal.via ? { via: event.principal.via } : {}) } : null,
    }) as SecurityEvent;
    this.stream?.write(`${JSON.stringify(line)}\n`);
    this.sink?.(line);
    const quiet = event.event === 'pin.first_sight' || event.event === 'authz.allow';
    this.logger?.[quiet ? 'info' : 'warn']({ security: line }, `security: ${event.event}: ${line.reason}`);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const stream = this.stream;
    if (!stream) return;
    const done = once(stream, 'close').catch(() => undefined);
    stream.end();
    await done;
  }
}
