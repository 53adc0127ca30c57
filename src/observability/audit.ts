import { once } from 'node:events';
import { pino, type DestinationStream } from 'pino';
import type { Shape } from '../shared/redact.js';

/** One audit record: who called what, with what shape of arguments, and how it ended. */
export interface AuditRecord {
  time: string;
  event: 'mcp.request';
  requestId: string;
  /** The request this one was made inside: an execute_code call, for each tool call its program made. */
  parentRequestId?: string;
  traceId?: string;
  principal: { id: string; roles: string[] } | null;
  session: { id?: string; transport: string; era: string };
  method: string;
  /** The endpoint: "aggregate" (/mcp) or a server's own. */
  endpoint: string;
  server?: string;
  tool?: string;
  prompt?: string;
  resource?: string;
  /** Keys and JSON types of the arguments; never their values. */
  argumentShape?: Shape;
  /** Only with `observability.audit.values`: the arguments, redacted. */
  arguments?: unknown;
  outcome: string;
  errorCode?: string;
  durationMs: number;
}

/** Something that takes JSON lines: a pino destination, or a test's collector. */
export type AuditSink = DestinationStream & { end?: () => void; flushSync?: () => void };

/**
 * The audit stream: JSON lines, one per audited request, on a destination of its own (a file),
 * apart from the application log so it can be shipped, retained and permissioned separately.
 */
export class AuditLog {
  private closed = false;

  private constructor(
    private readonly sink: AuditSink,
    private readonly owned: boolean,
  ) {}

  /** Appends to a file (created with its directory if needed), asynchronously buffered. */
  static toFile(path: string): AuditLog {
    return new AuditLog(pino.destination({ dest: path, mkdir: true, sync: false, append: true }), true);
  }

  /** Writes to a caller's stream (tests, or an embedding application's own destination). */
  static toSink(sink: AuditSink): AuditLog {
    return new AuditLog(sink, false);
  }

  write(record: AuditRecord): void {
    if (this.closed) return;
    this.sink.write(`${JSON.stringify(record)}\n`);
  }

  /** Flushes and, for a file it opened, closes it. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (!this.owned) return;
    const stream = this.sink as AuditSink & NodeJS.EventEmitter;
    const closed = once(stream, 'close').catch(() => undefined);
    stream.end?.();
    await closed;
  }
}
