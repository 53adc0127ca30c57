/** One line an upstream printed, with when and where. */
export interface ConsoleLine {
  ts: number;
  stream: 'stderr' | 'stdout';
  line: string;
}

/** The lines pushed after a mark that the ring still holds, and how many of them it no longer does. */
export interface LinesSince {
  lines: readonly ConsoleLine[];
  lost: number;
}

/**
 * A fixed-size ring of an upstream's console lines (stderr, and stdout lines that are not
 * JSON-RPC). Old lines fall off; a flood costs bounded memory. Listeners see lines as they arrive
 * (`/rpc` streams them to its caller); tracing instead takes a mark when a span starts and reads
 * the lines pushed since when it ends, which costs a span nothing while its server prints nothing.
 */
export class ConsoleBuffer {
  private readonly lines: ConsoleLine[] = [];
  private readonly listeners = new Set<(line: ConsoleLine) => void>();
  private dropped = 0;
  /** Lines pushed since the buffer was made: the number the next line's mark is. */
  private pushed = 0;

  constructor(
    private readonly capacity = 1000,
    private readonly maxLineLength = 4096,
  ) {}

  push(stream: 'stderr' | 'stdout', text: string): void {
    const line = text.length > this.maxLineLength ? `${text.slice(0, this.maxLineLength)}... [truncated]` : text;
    const entry: ConsoleLine = { ts: Date.now(), stream, line };
    this.lines.push(entry);
    this.pushed++;
    if (this.lines.length > this.capacity) {
      this.lines.shift();
      this.dropped++;
    }
    for (const listener of this.listeners) listener(entry);
  }

  /** The most recent lines, oldest first. */
  tail(limit = this.capacity): ConsoleLine[] {
    return this.lines.slice(Math.max(0, this.lines.length - limit));
  }

  /** Where the next line will be: pass it to `since` later for the lines pushed in between. */
  get mark(): number {
    return this.pushed;
  }

  /**
   * The lines pushed since `mark` (oldest first) that the ring still holds, at most `limit` of them,
   * and how many it has let go of.
   */
  since(mark: number, limit = Infinity): LinesSince {
    const first = this.pushed - this.lines.length;
    const from = Math.max(mark, first);
    const start = from - first;
    return { lines: this.lines.slice(start, start + limit), lost: from - mark };
  }

  get droppedCount(): number {
    return this.dropped;
  }

  /** Listeners subscribed now (a subscriber that lets go shows here). */
  get subscriberCount(): number {
    return this.listeners.size;
  }

  subscribe(listener: (line: ConsoleLine) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
