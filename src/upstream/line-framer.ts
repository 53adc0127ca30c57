/**
 * Newline-delimited framing shared by every stream-based transport (stdio upstreams, `outlet stdio`).
 * MCP's stdio transport sends one JSON-RPC message per line with no embedded newlines
 * (spec: basic/transports#stdio). Lines that are not JSON-RPC are handed back as console output
 * instead of killing the connection: many servers print banners or debug text on stdout.
 */
export interface FramedLine {
  readonly message?: Record<string, unknown>;
  readonly text?: string;
}

export class LineFramer {
  private pending = '';
  private pendingBytes = 0;

  constructor(private readonly maxLineBytes: number) {}

  /** Feeds a chunk; returns the complete lines it finished, parsed where they are JSON-RPC. */
  push(chunk: string): FramedLine[] {
    const out: FramedLine[] = [];
    let start = 0;
    let nl = chunk.indexOf('\n');
    while (nl !== -1) {
      const line = this.pending + chunk.slice(start, nl);
      this.pending = '';
      this.pendingBytes = 0;
      const framed = frame(line);
      if (framed) out.push(framed);
      start = nl + 1;
      nl = chunk.indexOf('\n', start);
    }
    if (start < chunk.length) {
      this.pending += chunk.slice(start);
      this.pendingBytes += chunk.length - start;
      if (this.pendingBytes > this.maxLineBytes) {
        // A single line past the limit is either a runaway server or garbage: drop it as console
        // text (truncated) rather than buffering without end.
        out.push({ text: `${this.pending.slice(0, 200)}... [line over ${this.maxLineBytes} bytes dropped]` });
        this.pending = '';
        this.pendingBytes = 0;
      }
    }
    return out;
  }
}

function frame(raw: string): FramedLine | undefined {
  const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
  if (line.trim() === '') return undefined;
  if (line.charCodeAt(0) === 123 /* { */) {
    try {
      const parsed: unknown = JSON.parse(line);
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed) && (parsed as { jsonrpc?: unknown }).jsonrpc === '2.0') {
        return { message: parsed as Record<string, unknown> };
      }
    } catch {
      // falls through: not JSON, so it is console output
    }
  }
  return { text: line };
}
