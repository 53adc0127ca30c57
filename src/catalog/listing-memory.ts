import type { UpstreamListing } from './types.js';

/** What the memory needs of one configured server: its current filter and prefix, and its listing while connected. */
export interface ServerListingSource {
  server: string;
  prefix: string;
  toolFilter: UpstreamListing['toolFilter'];
  /** The live lists, or `undefined` while the server is not connected (restarting, in backoff, starting). */
  live?: Omit<UpstreamListing, 'server' | 'prefix' | 'toolFilter'>;
}

/**
 * Keeps each server's last listing while it is not connected, so a crash or a restart does not
 * turn its tools into "unknown tool" (a client error that makes agents drop the tool) for the
 * moment it takes to come back: the names stay listed and routable, and a call answers
 * UPSTREAM_UNAVAILABLE with the server's state until it is back. A server that was never
 * connected has nothing to remember; a server no longer configured is forgotten. The prefix and
 * tool filter always come from the current config, so a reload that narrows the filter applies
 * to remembered tools too.
 *
 * @example
 * const memory = new ListingMemory();
 * memory.listings([{ server: 'fs', prefix: 'fs', toolFilter, live: lists }]); // live lists
 * memory.listings([{ server: 'fs', prefix: 'fs', toolFilter }]);              // the same lists, remembered
 */
export class ListingMemory {
  private readonly last = new Map<string, NonNullable<ServerListingSource['live']>>();

  /** The listings to build the catalog from: live ones, else the last remembered ones. */
  listings(sources: readonly ServerListingSource[]): UpstreamListing[] {
    const configured = new Set(sources.map((s) => s.server));
    for (const server of this.last.keys()) if (!configured.has(server)) this.last.delete(server);
    const out: UpstreamListing[] = [];
    for (const { server, prefix, toolFilter, live } of sources) {
      if (live) this.last.set(server, live);
      const lists = live ?? this.last.get(server);
      if (lists) out.push({ server, prefix, toolFilter, ...lists });
    }
    return out;
  }
}
