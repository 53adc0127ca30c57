import type { JSONRPCMessage, MessageExtraInfo, Transport } from '@modelcontextprotocol/server';

const encoder = new TextEncoder();

/**
 * The server side of the legacy HTTP+SSE transport (protocol 2024-11-05): one long GET response
 * carries every server-to-client message as `event: message`, after a first `event: endpoint` that
 * tells the client where to POST its own messages. Web-standard (a `ReadableStream` body), so it
 * runs wherever the Hono app runs.
 */
export class LegacySseTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: <T extends JSONRPCMessage>(message: T, extra?: MessageExtraInfo) => void;
  readonly sessionId: string;
  private controller?: ReadableStreamDefaultController<Uint8Array>;
  private keepAlive?: NodeJS.Timeout;
  private closed = false;

  constructor(sessionId: string, private readonly postUrl: string, private readonly keepAliveMs = 15_000) {
    this.sessionId = sessionId;
  }

  /** The GET response: the stream stays open until the client goes or the session closes. */
  response(signal: AbortSignal): Response {
    const body = new ReadableStream<Uint8Array>({
      start: (controller) => {
        this.controller = controller;
        this.write(`event: endpoint\ndata: ${this.postUrl}\n\n`);
        if (this.keepAliveMs > 0) {
          this.keepAlive = setInterval(() => this.write(': keep-alive\n\n'), this.keepAliveMs);
          this.keepAlive.unref();
        }
      },
      cancel: () => void this.close(),
    });
    signal.addEventListener('abort', () => void this.close(), { once: true });
    return new Response(body, {
      headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no' },
    });
  }

  start(): Promise<void> {
    return Promise.resolve();
  }

  /** A message the client POSTed; its answer goes out on the stream. */
  receive(message: JSONRPCMessage, extra?: MessageExtraInfo): void {
    this.onmessage?.(message, extra);
  }

  send(message: JSONRPCMessage): Promise<void> {
    if (this.closed) return Promise.reject(new Error('SSE stream is closed'));
    this.write(`event: message\ndata: ${JSON.stringify(message)}\n\n`);
    return Promise.resolve();
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.closed = true;
    clearInterval(this.keepAlive);
    try {
      this.controller?.close();
    } catch {
      // the client already went away
    }
    this.onclose?.();
    return Promise.resolve();
  }

  private write(text: string): void {
    try {
      this.controller?.enqueue(encoder.encode(text));
    } catch (err) {
      this.onerror?.(err as Error);
    }
  }
}
