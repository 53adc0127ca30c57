import type { RequestScope } from '../policy/call-context.js';
import type { SessionRegistry } from './session-registry.js';

/** What the endpoint needs of the gateway's subscription hub. */
export interface SubscriptionTarget {
  subscribe(server: string, uri: string, sessionKey: string): Promise<void>;
  unsubscribe(server: string, uri: string, sessionKey: string): Promise<void>;
}

export interface ListenSubscriptionsOptions {
  key: string;
  scope: RequestScope;
  sessions: SessionRegistry;
  hub: SubscriptionTarget;
  /** Which upstream owns a URI (the scope's server, or the catalog's routing); undefined if none. */
  ownerOf: (uri: string) => string | undefined;
  /** Publishes an update onto the SDK's open listen streams (it filters them by URI). */
  publish: (uri: string) => void;
}

/**
 * The resource subscriptions that 2026 clients make with `subscriptions/listen` on one endpoint.
 * The SDK serves the listen stream itself and never says which URIs it asked for, so the endpoint
 * reads them from the request and subscribes upstream through the hub, under one key for all its
 * listen streams (counted per URI, so the upstream is released when the last stream goes).
 */
export class ListenSubscriptions {
  private readonly streams = new Map<string, number>();
  private registered?: () => void;

  constructor(private readonly options: ListenSubscriptionsOptions) {}

  /** Subscribes the URIs a listen request names; returns the release for when its stream ends. */
  open(uris: readonly string[]): () => void {
    this.ensureRegistered();
    const held: { server: string; uri: string }[] = [];
    for (const uri of new Set(uris)) {
      const server = this.options.ownerOf(uri);
      if (!server) continue;
      held.push({ server, uri });
      const count = (this.streams.get(uri) ?? 0) + 1;
      this.streams.set(uri, count);
      if (count === 1) void this.options.hub.subscribe(server, uri, this.options.key).catch(() => undefined);
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      for (const { server, uri } of held) {
        const count = (this.streams.get(uri) ?? 1) - 1;
        if (count > 0) {
          this.streams.set(uri, count);
          continue;
        }
        this.streams.delete(uri);
        void this.options.hub.unsubscribe(server, uri, this.options.key).catch(() => undefined);
      }
    };
  }

  close(): void {
    this.registered?.();
    this.streams.clear();
  }

  private ensureRegistered(): void {
    this.registered ??= this.options.sessions.add({
      key: this.options.key,
      scope: this.options.scope,
      notify: (notification) => {
        const uri = (notification.params as { uri?: unknown } | undefined)?.uri;
        if (notification.method === 'notifications/resources/updated' && typeof uri === 'string') this.options.publish(uri);
        return Promise.resolve();
      },
    });
  }
}

/** The resource URIs a `subscriptions/listen` request body asks for (SEP-2575 filter). */
export function listenedUris(body: unknown): string[] | undefined {
  const message = body as { method?: unknown; params?: { notifications?: { resourceSubscriptions?: unknown } } } | null;
  if (message?.method !== 'subscriptions/listen') return undefined;
  const uris = message.params?.notifications?.resourceSubscriptions;
  return Array.isArray(uris) ? uris.filter((u): u is string => typeof u === 'string') : undefined;
}

/** A response whose body calls `onEnd` once when it finishes or the client goes away. */
export function onResponseEnd(response: Response, signal: AbortSignal, onEnd: () => void): Response {
  signal.addEventListener('abort', onEnd, { once: true });
  if (!response.body) {
    onEnd();
    return response;
  }
  const body = response.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      flush: () => onEnd(),
    }),
  );
  return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
}
