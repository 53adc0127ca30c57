import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { PinningConfig } from '../../config/auth-schema.js';
import type { SecurityAudit } from '../audit/security-audit.js';

/** The parts of a tool definition a pin covers. */
export interface PinnableTool {
  name: string;
  description?: string;
  inputSchema?: unknown;
  outputSchema?: unknown;
}

export interface ToolPin {
  sha256: string;
  pinnedAt: string;
}

/** `outlet.lock.json`: per server, per tool (the upstream's own name), the approved digest. */
export interface LockFile {
  version: 1;
  tools: Record<string, Record<string, ToolPin>>;
}

/** JSON with object keys sorted at every level, so the digest does not depend on key order. */
function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.filter((k) => (value as Record<string, unknown>)[k] !== undefined).map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
}

/** sha256 (hex) over the tool's name, description, input schema and output schema. */
export function toolDigest(tool: PinnableTool): string {
  const material = { name: tool.name, description: tool.description ?? null, inputSchema: tool.inputSchema ?? null, outputSchema: tool.outputSchema ?? null };
  return createHash('sha256').update(canonical(material), 'utf8').digest('hex');
}

export function emptyLock(): LockFile {
  return { version: 1, tools: {} };
}

/** Reads a lock file; a missing one is empty. A file that is not a lock file throws, naming it. */
export function readLockFile(path: string): LockFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return emptyLock();
    throw err;
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new Error(`${path}: not valid JSON (${(err as Error).message})`, { cause: err });
  }
  const lock = data as Partial<LockFile>;
  if (lock?.version !== 1 || typeof lock.tools !== 'object' || lock.tools === null) throw new Error(`${path}: not an mcp-outlet lock file (expected {"version": 1, "tools": {...}})`);
  return { version: 1, tools: lock.tools };
}

/** Writes a lock file atomically (a reader never sees half a file). */
export function writeLockFile(path: string, lock: LockFile): void {
  mkdirSync(dirname(path), { recursive: true });
  const sorted: LockFile = { version: 1, tools: {} };
  for (const server of Object.keys(lock.tools).sort()) {
    const tools = lock.tools[server]!;
    sorted.tools[server] = Object.fromEntries(Object.keys(tools).sort().map((name) => [name, tools[name]!]));
  }
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(sorted, null, 2)}\n`, { mode: 0o644 });
  renameSync(tmp, path);
}

export type PinVerdict = 'ok' | 'withhold';

/**
 * Tool pinning at run time: each tool the gateway serves is compared with its pin. A changed tool
 * is withheld (removed from lists, calls refused) in `enforce` mode and reported in `warn` mode;
 * a tool with no pin is pinned on first sight, allowed, or withheld, as configured. Each
 * violation is audited once per (server, tool, digest), not on every list. The lock file is
 * re-read when it changes on disk (`outlet pin` re-approves without a restart).
 */
export class PinStore {
  private lock: LockFile;
  private mtimeMs = -1;
  private checkedAt = 0;
  private readonly reported = new Set<string>();
  private writeTimer?: NodeJS.Timeout;
  private dirty = false;

  constructor(
    private readonly config: PinningConfig,
    private readonly audit: SecurityAudit,
    private readonly clock: () => number = Date.now,
  ) {
    this.lock = readLockFile(config.lockFile);
    this.mtimeMs = this.statMtime();
  }

  get active(): boolean {
    return this.config.mode !== 'off';
  }

  /** Decides whether `tool` of `server` may be served. `published` is only for messages. */
  check(server: string, tool: PinnableTool, published = tool.name): PinVerdict {
    if (this.config.mode === 'off') return 'ok';
    this.refresh();
    const digest = toolDigest(tool);
    const pin = this.lock.tools[server]?.[tool.name];
    if (pin) {
      if (pin.sha256 === digest) return 'ok';
      this.reportOnce(`${server}\u0000${tool.name}\u0000${digest}`, () =>
        this.audit.record({
          event: 'pin.violation',
          target: { server, tool: published },
          decision: this.config.mode === 'enforce' ? 'withhold' : 'record',
          reason: `tool definition changed since it was pinned (pinned ${pin.sha256.slice(0, 12)}..., now ${digest.slice(0, 12)}...); re-approve with \`outlet pin\``,
        }),
      );
      return this.config.mode === 'enforce' ? 'withhold' : 'ok';
    }
    switch (this.config.unpinned) {
      case 'allow':
        return 'ok';
      case 'withhold':
        this.reportOnce(`${server}\u0000${tool.name}\u0000${digest}`, () =>
          this.audit.record({
            event: 'pin.unapproved',
            target: { server, tool: published },
            decision: this.config.mode === 'enforce' ? 'withhold' : 'record',
            reason: 'tool is not in the lock file; approve it with `outlet pin`',
          }),
        );
        return this.config.mode === 'enforce' ? 'withhold' : 'ok';
      case 'pin':
        (this.lock.tools[server] ??= {})[tool.name] = { sha256: digest, pinnedAt: new Date(this.clock()).toISOString() };
        this.audit.record({ event: 'pin.first_sight', target: { server, tool: published }, decision: 'allow', reason: `pinned on first sight (${digest.slice(0, 12)}...)` });
        this.scheduleWrite();
        return 'ok';
    }
  }

  /** The digest a tool is pinned at, if any. */
  pinOf(server: string, name: string): ToolPin | undefined {
    this.refresh();
    return this.lock.tools[server]?.[name];
  }

  /** Writes pending first-sight pins now. */
  flush(): void {
    clearTimeout(this.writeTimer);
    this.writeTimer = undefined;
    if (!this.dirty) return;
    this.dirty = false;
    // Merge with what is on disk: `outlet pin` may have written since this file was read.
    const onDisk = readLockFile(this.config.lockFile);
    for (const [server, tools] of Object.entries(this.lock.tools)) {
      for (const [name, pin] of Object.entries(tools)) (onDisk.tools[server] ??= {})[name] ??= pin;
    }
    writeLockFile(this.config.lockFile, onDisk);
    this.lock = onDisk;
    this.mtimeMs = this.statMtime();
  }

  close(): void {
    this.flush();
  }

  private scheduleWrite(): void {
    this.dirty = true;
    if (this.writeTimer) return;
    this.writeTimer = setTimeout(() => {
      try {
        this.flush();
      } catch (err) {
        this.audit.record({ event: 'pin.violation', target: {}, decision: 'record', reason: `lock file could not be written: ${(err as Error).message}` });
      }
    }, 100);
    this.writeTimer.unref();
  }

  /** Re-reads the lock file when it changed on disk (at most once a second). */
  private refresh(): void {
    const now = this.clock();
    if (now - this.checkedAt < 1000) return;
    this.checkedAt = now;
    const mtime = this.statMtime();
    if (mtime === this.mtimeMs) return;
    try {
      const fresh = readLockFile(this.config.lockFile);
      // Pins made on first sight but not yet written survive the re-read.
      if (this.dirty) for (const [server, tools] of Object.entries(this.lock.tools)) for (const [name, pin] of Object.entries(tools)) (fresh.tools[server] ??= {})[name] ??= pin;
      this.lock = fresh;
      this.mtimeMs = mtime;
      this.reported.clear();
    } catch {
      // A half-edited file: keep the pins we have, try again later.
    }
  }

  private statMtime(): number {
    try {
      return statSync(this.config.lockFile).mtimeMs;
    } catch {
      return -1;
    }
  }

  private reportOnce(key: string, report: () => void): void {
    if (this.reported.has(key)) return;
    this.reported.add(key);
    report();
  }
}
