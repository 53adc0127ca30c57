/**
 * The way back to the client that made one inbound call: server-to-client requests (sampling,
 * elicitation, roots) and notifications that belong to that call. On a 2025-era session these
 * travel on the call's own response stream, so the client links them to the call.
 */
export interface ClientChannel {
  /** Stable for the inbound session (the Mcp-Session-Id, or a per-connection key for stdio). */
  readonly sessionKey: string;
  readonly era: 'legacy' | 'modern';
  /**
   * 2026-07-28: the log level the request's envelope asked for. Without one, the request has not
   * authorized log notifications at all (SEP-2575), so none are relayed to it.
   */
  readonly logLevel?: string;
  /** Whether the client declared the capability a server-to-client request needs. */
  canAnswer(method: string): boolean;
  request(method: string, params: Record<string, unknown> | undefined, signal?: AbortSignal): Promise<Record<string, unknown>>;
  notify(method: string, params?: Record<string, unknown>): Promise<void>;
}
