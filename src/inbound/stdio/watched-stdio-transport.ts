import type { JSONRPCMessage, MessageExtraInfo, Transport, TransportSendOptions } from '@modelcontextprotocol/server';

/**
 * Wraps a stdio server transport to watch what the client sends before the SDK's `serveStdio`
 * consumes it: `serveStdio` answers `subscriptions/listen` itself and tells nobody which URIs a
 * stream asked for, and the gateway needs them to subscribe upstream.
 */
export class WatchedTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: <T extends JSONRPCMessage>(message: T, extra?: MessageExtraInfo) => void;

  constructor(
    private readonly inner: Transport,
    private readonly watch: (message: JSONRPCMessage) => void,
  ) {}

  get sessionId(): string | undefined {
    return this.inner.sessionId;
  }

  start(): Promise<void> {
    this.inner.onmessage = (message, extra) => {
      this.watch(message);
      this.onmessage?.(message, extra);
    };
    this.inner.onclose = () => this.onclose?.();
    this.inner.onerror = (error) => {
      this.answerNotJsonRpc(error);
      this.onerror?.(error);
    };
    return this.inner.start();
  }

  /**
   * JSON that is not a JSON-RPC message: the SDK's reader reports it only to onerror (a schema
   * error) and drops it; JSON-RPC 2.0 (section 5.1) wants -32600 with a null id. (Text that is not
   * JSON never gets here: stdio-line-guard.ts answers it before the SDK reads it.)
   */
  private answerNotJsonRpc(error: Error): void {
    if (error.name !== 'ZodError' && !Array.isArray((error as { issues?: unknown }).issues)) return;
    const answer = { jsonrpc: '2.0', id: null, error: { code: -32600, message: 'Invalid Request: the line is JSON but not a JSON-RPC 2.0 message' } };
    void this.inner.send(answer as unknown as JSONRPCMessage).catch(() => undefined);
  }

  send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    return this.inner.send(message, options);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
