import { OutletError } from '../errors/index.js';

/** `http.sessions`: how many 2025-era sessions are held at once, and how long one may sit idle. */
export interface SessionLimits {
  max: number;
  idleTimeoutMs: number;
}

/** The schema's defaults, for a registry built without a config (tests, embeddings). */
export const DEFAULT_SESSION_LIMITS: SessionLimits = { max: 5000, idleTimeoutMs: 1_800_000 };

interface Entry {
  /** When the session last finished a request (or opened). */
  lastActive: number;
  /** Requests (and open streams) still running on it: a busy session is never idle. */
  busy: number;
  /** Closes the session: its transport, its server (which cancels what it still runs), its registration. */
  expire: () => void;
}

/** A place held for a session being opened; the session id is known only once initialize succeeds. */
export interface SessionReservation {
  commit(id: string, expire: () => void): void;
  cancel(): void;
}

/**
 * Bounds the sessions that outlive a request (2025-era Streamable HTTP and legacy HTTP+SSE),
 * gateway-wide. Without it a session lives until its client deletes it, which most never do, so
 * memory grows with every client that ever connected. A session idle for `idleTimeoutMs` is
 * closed; at `max`, opening one more closes the session idle longest, and when every session is
 * busy the new one is refused (GATEWAY_BUSY, 503) rather than taking memory the gateway cannot
 * bound. Entries are kept in order of last activity, so both the sweep and the eviction read the
 * oldest first and stop early.
 */
export class SessionBudget {
  private readonly entries = new Map<string, Entry>();
  private pending = 0;
  private sweeper: NodeJS.Timeout | undefined;

  constructor(
    private readonly limits: () => SessionLimits = () => DEFAULT_SESSION_LIMITS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Sessions held, plus those being opened. */
  get size(): number {
    return this.entries.size + this.pending;
  }

  /**
   * Makes room for one more session, closing the session idle longest when at the cap; throws
   * GATEWAY_BUSY when the cap is reached and none is idle.
   */
  reserve(): SessionReservation {
    this.sweep();
    const { max } = this.limits();
    while (this.size >= max) {
      const victim = this.oldestIdle();
      if (victim === undefined) {
        throw new OutletError(
          'GATEWAY_BUSY',
          `no room for a new session: the gateway holds ${this.size}, its cap (http.sessions.max = ${max}), and none is idle; retry later, or raise http.sessions.max`,
          { limit: max, key: 'http.sessions.max' },
        );
      }
      this.evict(victim);
    }
    this.pending++;
    let settled = false;
    const settle = (): boolean => {
      if (settled) return false;
      settled = true;
      this.pending--;
      return true;
    };
    return {
      commit: (id, expire) => {
        if (!settle()) return;
        this.entries.set(id, { lastActive: this.now(), busy: 0, expire });
        this.schedule();
      },
      cancel: () => void settle(),
    };
  }

  /** A session closed on its own (DELETE, client gone, gateway stopping). */
  remove(id: string): void {
    this.entries.delete(id);
  }

  /** A request (or stream) starts on the session; the returned function ends it, once. */
  begin(id: string): () => void {
    const entry = this.entries.get(id);
    if (!entry) return () => undefined;
    entry.busy++;
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      entry.busy--;
      this.touch(id);
    };
  }

  /** The session was used just now. */
  touch(id: string): void {
    const entry = this.entries.get(id);
    if (!entry) return;
    entry.lastActive = this.now();
    // Re-inserting moves it to the end: the map stays ordered by last activity.
    this.entries.delete(id);
    this.entries.set(id, entry);
  }

  /** Closes every session idle longer than the timeout. */
  sweep(): void {
    const cutoff = this.now() - this.limits().idleTimeoutMs;
    for (const [id, entry] of this.entries) {
      if (entry.lastActive > cutoff) break;
      if (entry.busy === 0) this.evict(id);
    }
  }

  private oldestIdle(): string | undefined {
    for (const [id, entry] of this.entries) if (entry.busy === 0) return id;
    return undefined;
  }

  private evict(id: string): void {
    const entry = this.entries.get(id);
    if (!entry) return;
    this.entries.delete(id);
    entry.expire();
  }

  /** Sweeps at a fraction of the idle timeout while any session is held; no timer otherwise. */
  private schedule(): void {
    if (this.sweeper || this.entries.size === 0) return;
    const every = Math.min(60_000, Math.max(50, Math.floor(this.limits().idleTimeoutMs / 4)));
    this.sweeper = setTimeout(() => {
      this.sweeper = undefined;
      this.sweep();
      this.schedule();
    }, every);
    this.sweeper.unref();
  }
}
