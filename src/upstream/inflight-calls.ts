import { OutletError } from '../errors/index.js';
import type { ClientChannel } from '../protocol/client-channel.js';

/**
 * The inbound calls currently waiting on one upstream connection, so that what the upstream sends
 * back unprompted (a sampling or elicitation request, a log line) can be attributed to the client
 * session whose call caused it. A shared upstream's stdio or HTTP wire carries no link from such a
 * request to the call that triggered it, so attribution is certain only while the calls in flight
 * all come from one session; otherwise the gateway says so rather than guess.
 */
export class InflightCalls {
  private readonly calls = new Map<number, ClientChannel>();
  private next = 0;

  /** Registers a call; returns the function that ends it. */
  begin(channel: ClientChannel): () => void {
    const id = this.next++;
    this.calls.set(id, channel);
    return () => this.calls.delete(id);
  }

  get size(): number {
    return this.calls.size;
  }

  /** The channel of the most recent call when every call in flight is from one session. */
  attribute(): ClientChannel | undefined {
    let found: ClientChannel | undefined;
    for (const channel of this.calls.values()) {
      if (found && found.sessionKey !== channel.sessionKey) return undefined;
      found = channel;
    }
    return found;
  }

  /** Like {@link attribute}, but an error that says why nobody can be asked. */
  require(server: string, what: string): ClientChannel {
    const channel = this.attribute();
    if (channel) return channel;
    const sessions = new Set([...this.calls.values()].map((c) => c.sessionKey)).size;
    const why =
      this.calls.size === 0
        ? `no client call to "${server}" is in flight, so no client can be asked`
        : `calls from ${sessions} client sessions are in flight to the shared upstream "${server}", and its ${what} does not say which one it is for; run this server with one instance per session to route it`;
    throw new OutletError('UPSTREAM_ERROR', `cannot route ${what}: ${why}`, { server });
  }
}
