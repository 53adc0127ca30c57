/**
 * How far past `outputBytesPerSecond` a server may go before it is killed: a one-second window
 * with more than FLOOD_FACTOR times the rate is a flood window, and FLOOD_WINDOWS of them in a row
 * end the process. Ten times the rate for three seconds is no burst of a busy server (a stack trace
 * or a start-up banner fits in one window) but a runaway loop, and the cost of reading it, though
 * bounded in memory, is CPU time the gateway spends for nothing.
 */
export const FLOOD_FACTOR = 10;
export const FLOOD_WINDOWS = 3;
const WINDOW_MS = 1000;

/**
 * The transport's half of `limits.outputBytesPerSecond`, over console output (stderr, and stdout
 * lines that are not JSON-RPC; protocol messages are never dropped). Within each one-second window
 * the first `bytesPerSecond` bytes of lines pass; later lines are dropped, with one marker line at
 * the start of each run of drops so the log shows where output went missing. Bytes are counted as
 * they arrive (`count`) for the flood rule, and per line (`admit`) for what is kept.
 *
 * @example
 * const rate = new OutputRateLimiter(65536);
 * if (rate.count(chunk.length)) transport.kill();
 * const { pass, marker } = rate.admit(line.length + 1);
 */
export class OutputRateLimiter {
  private windowStart = Number.NEGATIVE_INFINITY;
  private seen = 0;
  private passed = 0;
  private floodWindows = 0;
  private dropping = false;
  /** Lines dropped since the process started. */
  droppedLines = 0;

  constructor(
    readonly bytesPerSecond: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Accounts raw console bytes; returns why the process must die when the flood rule is met. */
  count(bytes: number): string | undefined {
    this.roll();
    this.seen += bytes;
    if (this.seen > FLOOD_FACTOR * this.bytesPerSecond && this.floodWindows >= FLOOD_WINDOWS - 1) {
      return `console output above ${FLOOD_FACTOR} x ${this.bytesPerSecond} B/s in ${FLOOD_WINDOWS} one-second windows in a row (limits.outputBytesPerSecond)`;
    }
    return undefined;
  }

  /** Decides whether one line is kept; `marker` is a line to keep in its place when a run of drops starts. */
  admit(bytes: number): { pass: boolean; marker?: string } {
    this.roll();
    if (this.passed + bytes <= this.bytesPerSecond) {
      this.passed += bytes;
      this.dropping = false;
      return { pass: true };
    }
    this.droppedLines++;
    if (this.dropping) return { pass: false };
    this.dropping = true;
    return { pass: false, marker: `[mcp-outlet] output over ${this.bytesPerSecond} B/s (limits.outputBytesPerSecond): dropping lines until it slows down` };
  }

  private roll(): void {
    const now = this.now();
    if (now - this.windowStart < WINDOW_MS) return;
    const consecutive = now - this.windowStart < 2 * WINDOW_MS;
    this.floodWindows = consecutive && this.seen > FLOOD_FACTOR * this.bytesPerSecond ? this.floodWindows + 1 : 0;
    this.windowStart = now;
    this.seen = 0;
    this.passed = 0;
  }
}

/**
 * Console output of one process under an optional rate limit: lines pass to `emit`, or are dropped
 * with a marker; a flood kills the process through `onFlood` and silences the rest.
 *
 * @example
 * const gate = new ConsoleGate((stream, line) => buffer.push(stream, line), 65536, (why) => kill(why));
 * if (gate.chunk(data.length)) for (const line of framer.push(data)) gate.line('stderr', line.text);
 */
export class ConsoleGate {
  private readonly rate?: OutputRateLimiter;
  private flooded = false;

  constructor(
    private readonly emit: (stream: 'stderr' | 'stdout', line: string) => void,
    bytesPerSecond: number | undefined,
    private readonly onFlood: (reason: string) => void,
  ) {
    if (bytesPerSecond !== undefined) this.rate = new OutputRateLimiter(bytesPerSecond);
  }

  /** Counts raw bytes as they arrive; false once the process has been killed for flooding. */
  chunk(bytes: number): boolean {
    if (this.flooded) return false;
    const why = this.rate?.count(bytes);
    if (why === undefined) return true;
    this.flooded = true;
    this.onFlood(why);
    return false;
  }

  /** Passes one line on, or drops it over the rate (with a marker at the start of a run of drops). */
  line(stream: 'stderr' | 'stdout', text: string): void {
    if (this.flooded) return;
    const verdict = this.rate?.admit(text.length + 1) ?? { pass: true };
    if (verdict.marker) this.emit(stream, verdict.marker);
    if (verdict.pass) this.emit(stream, text);
  }
}
