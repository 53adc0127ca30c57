import type { ResourceSubscriptions } from '../router/router-deps.js';
import type { SessionRegistry } from './session-registry.js';

type Forward = (server: string, method: 'resources/subscribe' | 'resources/unsubscribe', uri: string) => Promise<unknown>;

/**
 * Resource subscriptions across sessions: each upstream is subscribed once per URI however many
 * sessions ask (and unsubscribed when the last one leaves), and `resources/updated` goes only to
 * the sessions that subscribed to that URI (spec: server/resources#subscriptions).
 */
export class SubscriptionHub implements ResourceSubscriptions {
  /** server -> uri -> session keys */
  private readonly subs = new Map<string, Map<string, Set<string>>>();

  constructor(
    private readonly sessions: SessionRegistry,
    private readonly forward: Forward,
  ) {
    sessions.onClose((key) => this.dropSession(key));
  }

  async subscribe(server: string, uri: string, sessionKey: string): Promise<void> {
    let byUri = this.subs.get(server);
    if (!byUri) this.subs.set(server, (byUri = new Map()));
    let keys = byUri.get(uri);
    const first = !keys || keys.size === 0;
    if (!keys) byUri.set(uri, (keys = new Set()));
    keys.add(sessionKey);
    if (first) {
      try {
        await this.forward(server, 'resources/subscribe', uri);
      } catch (err) {
        keys.delete(sessionKey);
        throw err;
      }
    }
  }

  async unsubscribe(server: string, uri: string, sessionKey: string): Promise<void> {
    const keys = this.subs.get(server)?.get(uri);
    if (!keys?.delete(sessionKey) || keys.size > 0) return;
    this.subs.get(server)?.delete(uri);
    await this.forward(server, 'resources/unsubscribe', uri);
  }

  /** Delivers an upstream's update to the sessions subscribed to that URI, and only to them. */
  deliver(server: string, uri: string, params: Record<string, unknown>): void {
    const keys = this.subs.get(server)?.get(uri);
    if (!keys) return;
    for (const key of keys) {
      const session = this.sessions.get(key);
      void session?.notify({ method: 'notifications/resources/updated', params: { ...params, uri } }).catch(() => undefined);
    }
  }

  /** URIs to subscribe again after an upstream reconnects. */
  urisOf(server: string): string[] {
    return [...(this.subs.get(server)?.keys() ?? [])];
  }

  /** Forgets an upstream's subscriptions (it was removed from the config). */
  forgetServer(server: string): void {
    this.subs.delete(server);
  }

  private dropSession(key: string): void {
    for (const [server, byUri] of this.subs) {
      for (const [uri, keys] of byUri) {
        if (keys.delete(key) && keys.size === 0) {
          byUri.delete(uri);
          void this.forward(server, 'resources/unsubscribe', uri).catch(() => undefined);
        }
      }
    }
  }
}
