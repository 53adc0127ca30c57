import type { EventId, EventStore, JSONRPCMessage, StreamId } from '@modelcontextprotocol/server';

interface StoredEvent {
  id: EventId;
  streamId: StreamId;
  message: JSONRPCMessage;
}

/**
 * Keeps the recent SSE events of one 2025-era session so a client that lost its stream can
 * reconnect with `Last-Event-ID` and receive what it missed (spec: basic/transports, resumability
 * and redelivery). Bounded: the oldest events fall off past `capacity`; an event id that has
 * fallen off cannot be resumed and the client starts a fresh stream instead.
 *
 * Event ids are `<streamId>:<sequence>`, so the stream of an id is known without a lookup.
 */
export class SessionEventStore implements EventStore {
  private readonly events: StoredEvent[] = [];
  private sequence = 0;

  constructor(private readonly capacity = 1000) {}

  storeEvent(streamId: StreamId, message: JSONRPCMessage): Promise<EventId> {
    const id = `${streamId}:${++this.sequence}`;
    this.events.push({ id, streamId, message });
    if (this.events.length > this.capacity) this.events.shift();
    return Promise.resolve(id);
  }

  getStreamIdForEventId(eventId: EventId): Promise<StreamId | undefined> {
    const cut = eventId.lastIndexOf(':');
    return Promise.resolve(cut > 0 ? eventId.slice(0, cut) : undefined);
  }

  async replayEventsAfter(lastEventId: EventId, { send }: { send: (eventId: EventId, message: JSONRPCMessage) => Promise<void> }): Promise<StreamId> {
    const at = this.events.findIndex((e) => e.id === lastEventId);
    const streamId = (await this.getStreamIdForEventId(lastEventId)) ?? '';
    if (at === -1) return streamId;
    for (const event of this.events.slice(at + 1)) {
      if (event.streamId === streamId) await send(event.id, event.message);
    }
    return streamId;
  }
}
