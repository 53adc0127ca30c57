import type { JSONRPCMessage, MessageExtraInfo, Transport, TransportSendOptions } from '@modelcontextprotocol/server';
import { LIST_METHODS } from '../observability/list-methods.js';

/**
 * Holds list requests until `ready` settles, passing everything else through at once. A desktop
 * client lists tools once, right after connecting; answered while servers are still starting,
 * that first list is short, and many clients never ask again. Held lists are delivered in the
 * order they came; once `ready` has settled nothing is held.
 */
export class HeldListTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: <T extends JSONRPCMessage>(message: T, extra?: MessageExtraInfo) => void;
  private held: Promise<unknown> | undefined;

  constructor(
    private readonly inner: Transport,
    ready: Promise<unknown>,
  ) {
    this.held = ready.catch(() => undefined).finally(() => (this.held = undefined));
  }

  get sessionId(): string | undefined {
    return this.inner.sessionId;
  }

  start(): Promise<void> {
    this.inner.onmessage = (message, extra) => {
      const method = (message as { method?: unknown }).method;
      const held = this.held;
      if (held && typeof method === 'string' && LIST_METHODS.has(method)) void held.then(() => this.onmessage?.(message, extra));
      else this.onmessage?.(message, extra);
    };
    this.inner.onclose = () => this.onclose?.();
    this.inner.onerror = (error) => this.onerror?.(error);
    return this.inner.start();
  }

  send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    return this.inner.send(message, options);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
