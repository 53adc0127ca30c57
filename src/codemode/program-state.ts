import { OutletError } from '../errors/index.js';

/**
 * Where execute_code programs keep state between runs of one session (`state.get/set/delete`).
 * Values are JSON; every entry has a time to live. Async, so a shared store (Redis) fits the same
 * interface when gateways scale out.
 */
export interface ProgramStateStore {
  get(session: string, key: string): Promise<unknown>;
  set(session: string, key: string, value: unknown, ttlMs: number): Promise<void>;
  delete(session: string, key: string): Promise<boolean>;
}

interface Entry {
  json: string;
  bytes: number;
  expires: number;
}

/** The longest key a program may use, in characters. */
const MAX_KEY_LENGTH = 256;

/**
 * The in-process store: one map per session, bounded in bytes per session (JSON text of keys and
 * values) and in sessions held (the one written longest ago goes first), expired entries dropped
 * as they are met. Sessions end without telling it, so the session bound is what frees memory.
 */
export class MemoryProgramState implements ProgramStateStore {
  private readonly sessions = new Map<string, Map<string, Entry>>();

  constructor(
    private readonly maxBytesPerSession: () => number,
    private readonly maxSessions = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  async get(session: string, key: string): Promise<unknown> {
    checkKey(key);
    const entry = this.live(session, key);
    return entry ? JSON.parse(entry.json) : undefined;
  }

  async set(session: string, key: string, value: unknown, ttlMs: number): Promise<void> {
    checkKey(key);
    const json = JSON.stringify(value);
    if (json === undefined) throw new OutletError('INVALID_PARAMS', `state.set(${JSON.stringify(key)}): the value is not JSON (use state.delete to remove a key)`);
    const entries = this.sessions.get(session) ?? new Map<string, Entry>();
    const bytes = key.length + json.length;
    const used = this.usedBytes(entries) - (entries.get(key)?.bytes ?? 0);
    const cap = this.maxBytesPerSession();
    if (used + bytes > cap) {
      throw new OutletError('INVALID_PARAMS', `state.set(${JSON.stringify(key)}): the session's state would hold ${used + bytes} bytes, over its ${cap}-byte bound (codeMode.state.maxBytesPerSession)`);
    }
    entries.set(key, { json, bytes, expires: this.now() + ttlMs });
    // Re-inserted: the map's order is the order sessions were last written.
    this.sessions.delete(session);
    this.sessions.set(session, entries);
    if (this.sessions.size > this.maxSessions) this.sessions.delete(this.sessions.keys().next().value as string);
  }

  async delete(session: string, key: string): Promise<boolean> {
    checkKey(key);
    const existed = this.live(session, key) !== undefined;
    this.sessions.get(session)?.delete(key);
    return existed;
  }

  private live(session: string, key: string): Entry | undefined {
    const entries = this.sessions.get(session);
    const entry = entries?.get(key);
    if (!entry) return undefined;
    if (entry.expires > this.now()) return entry;
    entries!.delete(key);
    return undefined;
  }

  private usedBytes(entries: Map<string, Entry>): number {
    let total = 0;
    const now = this.now();
    for (const [key, entry] of entries) {
      if (entry.expires <= now) entries.delete(key);
      else total += entry.bytes;
    }
    return total;
  }
}

function checkKey(key: string): void {
  if (typeof key !== 'string' || key.length === 0 || key.length > MAX_KEY_LENGTH) {
    throw new OutletError('INVALID_PARAMS', `state: a key is a string of 1 to ${MAX_KEY_LENGTH} characters`);
  }
}
