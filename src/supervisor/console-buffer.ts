/** One line an upstream printed, with when and where. */
export interface ConsoleLine {
  ts: number;
  stream: 'stderr' | 'stdout';
  line: string;
}

/**
 * A fixed-size ring of an upstream's console lines (stderr, and stdout lines that are not
 * JSON-RPC). Old lines fall off; a flood costs bounded memory. Listeners see lines as they arrive
 * (tracing attaches the lines printed during a span).
 */
export class ConsoleBuffer {
  private readonly lines: ConsoleLine[] = [];
  private readonly listeners = new Set<(line: ConsoleLine) => void>();
  private dropped = 0;

  constructor(
    private readonly capacity = 1000,
    private readonly maxLineLength = 4096,
  ) {}

  push(stream: 'stderr' | 'stdout', text: string): void {
    const line = text.length > this.maxLineLength ? `${text.slice(0, this.maxLineLength)}... [truncated]` : text;
    const entry: ConsoleLine = { ts: Date.now(), stream, line };
    this.lines.push(entry);
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
