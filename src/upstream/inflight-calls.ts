import { OutletError } from '../errors/index.js';
import type { ClientChannel } from './client-channel.js';

/**
 * The inbound calls currently waiting on one upstream connection, so that what the upstream sends
 * back unprompted (a sampling or elicitation request, a log line) can be attributed to the client
 * session whose call caused it. A shared upstream's stdio or HTTP wire carries no link from such a
 * request to the call that triggered it, so attribution is certain only while the calls in flight
 * all come from one session; otherwise the gateway says so rather than guess.
 */
export class InflightCalls {
  private readonly calls = new Map<number, ClientChannel>();
  /** Calls with a question of theirs still unanswered by the client: blocked, so not the asker. */
  private readonly waiting = new Map<ClientChannel, number>();
  private next = 0;

  /** Registers a call; returns the function that ends it. */
  begin(channel: ClientChannel): () => void {
    const id = this.next++;
    this.calls.set(id, channel);
    return () => this.calls.delete(id);
  }

  /**
   * Relays one question to the attributed call's client, marking that call as waiting until the
   * answer comes: a server handler awaits its own question, so a call that is waiting is not the
   * one asking the next (this keeps calls abandoned mid-question from blocking everyone else).
   */
  async ask(server: string, what: string, send: (channel: ClientChannel) => Promise<Record<string, unknown>>): Promise<Record<string, unknown>> {
    const channel = this.require(server, what);
    this.waiting.set(channel, (this.waiting.get(channel) ?? 0) + 1);
    try {
      return await send(channel);
    } finally {
      const left = (this.waiting.get(channel) ?? 1) - 1;
      if (left > 0) this.waiting.set(channel, left);
      else this.waiting.delete(channel);
    }
  }

  get size(): number {
    return this.calls.size;
  }

  /** The channel of the most recent call when every call in flight is from one session. */
  attribute(): ClientChannel | undefined {
    let found: ClientChannel | undefined;
    for (const channel of this.calls.values()) {
      if (this.waiting.has(channel)) continue;
      if (found && found.sessionKey !== channel.sessionKey) return undefined;
      found = channel;
    }
    return found;
  }

  /** Like {@link attribute}, but an error that says why nobody can be asked. */
  require(server: string, what: string): ClientChannel {
    const channel = this.attribute();
    if (channel) return channel;
    const sessions = new Set([...this.calls.values()].filter((c) => !this.waiting.has(c)).map((c) => c.sessionKey)).size;
    const why =
      sessions === 0
        ? `no client call to "${server}" is in flight, so no client can be asked`
        : `calls from ${sessions} client sessions are in flight to the shared upstream "${server}", and its ${what} does not say which one it is for; run this server with one instance per session to route it`;
    throw new OutletError('UPSTREAM_ERROR', `cannot route ${what}: ${why}`, { server });
  }
}
