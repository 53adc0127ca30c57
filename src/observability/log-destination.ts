import { openSync } from 'node:fs';
import { pino, type DestinationStream } from 'pino';

/** Lines are handed to the writer once they add up to this many characters... */
const BATCH_CHARS = 4096;
/** ...and whatever is gathered, at this interval. */
const FLUSH_MS = 250;

type FdWriter = ReturnType<typeof pino.destination>;

/** Every destination, so that the lines each has gathered are written synchronously when the process exits. */
const unwritten = new Set<BatchedLines>();
let exitHooked = false;

/**
 * The application log's destination: lines gathered in an array and handed to pino's
 * file-descriptor writer (sonic-boom) as one string per batch of at least 4 KiB, and at least
 * every 250 ms; whatever is gathered is written on exit.
 *
 * The writer is synchronous (pino's default, and how Node writes stderr to a pipe or a file): one
 * `write` per batch on the event loop's thread. Its asynchronous mode hands every batch to the
 * libuv thread pool and back, and cost the gateway's thread about 5 us per tool call under load
 * (profile in docs/performance.md), twenty times the write itself. As with any synchronous log, a
 * reader that stops reading stalls the gateway once the pipe is full.
 *
 * Why not sonic-boom's own batching (`minLength`): it appends each line to one growing string and
 * measures that string's UTF-8 length on every write, which copies it, so each line costs time in
 * proportion to the batch so far: about 1.3 us per line at 4 KiB, more than half of what pino takes
 * to serialize a tool-call line. Here a line costs an array push and the batch is joined once.
 */
export class BatchedLines implements DestinationStream {
  private lines: string[] = [];
  private chars = 0;
  /** The writer was ended: nothing more is handed to it. */
  private closed = false;

  constructor(private readonly out: FdWriter) {
    out.once('close', () => (this.closed = true));
    setInterval(() => this.handOver(), FLUSH_MS).unref();
    unwritten.add(this);
    if (!exitHooked) {
      exitHooked = true;
      process.on('exit', () => {
        for (const batch of unwritten) batch.flushSync();
      });
    }
  }

  write(line: string): boolean {
    this.lines.push(line);
    this.chars += line.length;
    if (this.chars >= BATCH_CHARS) this.handOver();
    return true;
  }

  /** Hands the batch to the writer; `cb` once the writer has taken it (pino's `logger.flush(cb)`). */
  flush(cb?: (err?: Error) => void): void {
    this.handOver();
    if (this.closed) cb?.();
    else this.out.flush(cb);
  }

  /** Writes this batch before returning (at exit: the writer is synchronous, no callback is waited for). */
  flushSync(): void {
    try {
      this.handOver();
    } catch {
      // The descriptor is gone at exit: nothing is left to tell.
    }
  }

  private handOver(): void {
    const text = this.take();
    if (text && !this.closed) this.out.write(text);
  }

  private take(): string {
    if (this.lines.length === 0) return '';
    const text = this.lines.length === 1 ? this.lines[0]! : this.lines.join('');
    this.lines = [];
    this.chars = 0;
    return text;
  }
}

/**
 * The application log's destination on a file descriptor or a file (appended to): batched lines
 * (above) over pino's synchronous writer, which writes each batch as it is handed one.
 */
export function logDestination(dest: number | string): BatchedLines {
  const fd = typeof dest === 'number' ? dest : openSync(dest, 'a');
  return new BatchedLines(pino.destination({ fd, sync: true, minLength: 0 }));
}
