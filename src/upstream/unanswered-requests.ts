import type { JSONRPCMessage } from '@modelcontextprotocol/client';
import { OutletError } from '../errors/index.js';

type Id = string | number;

/**
 * The requests a client sent over one stdio pipe and has not had answered (or cancelled), so that
 * when the server process dies they can be answered on its behalf with an error saying why,
 * instead of the SDK's bare "Connection closed".
 *
 * @example
 * const waiting = new UnansweredRequests();
 * waiting.sent(message);      // on send
 * waiting.received(message);  // on each message read
 * for (const reply of waiting.drain('the upstream process was killed by SIGKILL')) deliver(reply);
 */
export class UnansweredRequests {
  private readonly ids = new Set<Id>();

  sent(message: JSONRPCMessage): void {
    if (!('method' in message)) return;
    if ('id' in message) this.ids.add(message.id);
    else if (message.method === 'notifications/cancelled') {
      const id = (message.params as { requestId?: Id } | undefined)?.requestId;
      if (id !== undefined) this.ids.delete(id);
    }
  }

  received(message: Record<string, unknown>): void {
    if ('id' in message && !('method' in message)) this.ids.delete(message.id as Id);
  }

  /** One UPSTREAM_CLOSED error response per waiting request ("<why> before it answered"); empties the set. */
  drain(why: string): JSONRPCMessage[] {
    const error = new OutletError('UPSTREAM_CLOSED', `${why} before it answered`).toJsonRpcError();
    const replies = [...this.ids].map((id) => ({ jsonrpc: '2.0', id, error }) as JSONRPCMessage);
    this.ids.clear();
    return replies;
  }

  get size(): number {
    return this.ids.size;
  }
}
