import type { Notification, Server } from '@modelcontextprotocol/server';
import type { RequestScope } from '../policy/call-context.js';
import type { CallerSessions } from '../router/router-deps.js';
import type { SessionSource } from '../supervisor/instance-strategy.js';
import { passesLogLevel } from '../upstream/log-level.js';
import { SessionBudget, type SessionLimits } from './session-budget.js';

/**
 * A live inbound session that can receive notifications outside any call: a 2025-era session,
 * a stdio connection, or the open 2026 `subscriptions/listen` streams of an endpoint.
 */
export interface InboundSession {
  key: string;
  scope: RequestScope;
  notify: (notification: Notification) => Promise<void>;
  /** The level the client asked for with logging/setLevel; unset means it did not opt in. */
  logLevel?: string;
}

/** The session entry of an SDK server instance: notifications go out through it. */
export function sessionOf(key: string, scope: RequestScope, server: Server): InboundSession {
  return { key, scope, notify: (notification) => server.notification(notification) };
}

/**
 * Every inbound session that outlives a single request, by key. Subscriptions and log lines that
 * no single call can claim are delivered through it; a session removes itself when it closes.
 */
export class SessionRegistry implements SessionSource, CallerSessions {
  private readonly sessions = new Map<string, InboundSession>();
  private readonly closeListeners = new Set<(key: string) => void>();
  /** The cap and idle expiry of HTTP sessions (2025-era and legacy SSE), shared by every endpoint. */
  readonly budget: SessionBudget;

  /** `limits` is read at each use, so a reload's new `http.sessions` applies at once. */
  constructor(limits?: () => SessionLimits) {
    this.budget = new SessionBudget(limits);
  }

  add(session: InboundSession): () => void {
    this.sessions.set(session.key, session);
    return () => {
      if (this.sessions.get(session.key) !== session) return;
      this.sessions.delete(session.key);
      for (const listener of this.closeListeners) listener(session.key);
    };
  }

  get(key: string): InboundSession | undefined {
    return this.sessions.get(key);
  }

  onClose(listener: (key: string) => void): void {
    this.closeListeners.add(listener);
  }

  /** Sessions that see `server`: the aggregated endpoint's, and that server's own. */
  seeing(server: string): InboundSession[] {
    return [...this.sessions.values()].filter((s) => s.scope.kind === 'aggregate' || s.scope.server === server);
  }

  /** Whether a message at `level` passes the session's own logging/setLevel threshold. */
  static wantsLog(session: InboundSession, level: unknown): boolean {
    return passesLogLevel(session.logLevel, level);
  }
}
