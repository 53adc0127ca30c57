import { createHash } from 'node:crypto';
import type { RpcConfig } from '../config/rpc-schema.js';
import type { ServerConfig } from '../config/index.js';
import { OutletError } from '../errors/index.js';
import type { ManagedUpstream } from './managed-upstream.js';
import type { Supervisor } from './supervisor.js';

/** What the caller of an inline server learns about the instance it got. */
export interface InlineLease {
  /** `rpc-<hash>`: the name the instance runs under (logs, traces, metrics). */
  name: string;
  upstream: ManagedUpstream;
  /** True when an instance with this exact config was already running (no spawn, no initialize). */
  warm: boolean;
}

/**
 * The servers `/rpc` requests describe inline. Each runs under a name derived from a hash of its
 * normalized config, so a repeated request with the same config reuses the warm instance; one
 * not called for `idleTimeoutMs` is stopped; at most `maxInstances` run (the least recently used
 * idle one makes room). Every inline server is sandboxed (bubblewrap, no fallback). Packages that
 * npx entries name are fetched by the outlet's own fetch step (the supervisor's `packages`) into
 * the shared cache, which servers see read-only: no tenant can change what another runs.
 */
export class InlineUpstreams {
  private readonly lastUsed = new Map<string, number>();
  private readonly busy = new Map<string, number>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly supervisor: Supervisor,
    private rpc: RpcConfig,
  ) {
    this.sweeper = setInterval(() => void this.sweep(), Math.min(rpc.idleTimeoutMs, 30_000));
    this.sweeper.unref();
  }

  reconfigure(rpc: RpcConfig): void {
    this.rpc = rpc;
  }

  /**
   * The config an inline entry really runs with: always caged. No package cache is mounted or
   * named here: the fetch step installs the package and the sandbox binds only its directory,
   * read-only (a writable shared cache let one tenant plant code another tenant then ran).
   */
  harden(server: ServerConfig): ServerConfig {
    if (server.transport !== 'stdio') return server;
    return { ...server, sandbox: { ...server.sandbox, backend: 'bubblewrap', allowFallback: false, autoMounts: false } };
  }

  /** `rpc-<hash>`: equal configs (whatever their key order) get one name, so one instance. */
  nameOf(server: ServerConfig): string {
    return `rpc-${createHash('sha256').update(stableJson({ ...server, name: '', prefix: '' })).digest('hex').slice(0, 16)}`;
  }

  /** The running instance for this (hardened) config, started if needed; `parent` is the request that caused a spawn. */
  acquire(server: ServerConfig, parent?: object): InlineLease {
    const name = this.nameOf(server);
    const running = this.supervisor.get(name);
    const warm = running !== undefined;
    if (!warm) this.makeRoom();
    const upstream = this.supervisor.ensure(name, { ...server, name, prefix: name }, parent);
    this.lastUsed.set(name, Date.now());
    this.busy.set(name, (this.busy.get(name) ?? 0) + 1);
    return { name, upstream, warm };
  }

  /** The call on `name` is over: its idle clock starts now. */
  release(name: string): void {
    const left = (this.busy.get(name) ?? 1) - 1;
    if (left > 0) this.busy.set(name, left);
    else this.busy.delete(name);
    this.lastUsed.set(name, Date.now());
  }

  names(): string[] {
    return [...this.lastUsed.keys()];
  }

  private makeRoom(): void {
    if (this.lastUsed.size < this.rpc.maxInstances) return;
    const idle = [...this.lastUsed].filter(([name]) => !this.busy.has(name)).sort((a, b) => a[1] - b[1]);
    const oldest = idle[0];
    if (!oldest) {
      throw new OutletError('GATEWAY_BUSY', `all ${this.rpc.maxInstances} inline servers (rpc.maxInstances) are busy; retry later`);
    }
    this.forget(oldest[0]);
  }

  private sweep(): void {
    const cutoff = Date.now() - this.rpc.idleTimeoutMs;
    for (const [name, used] of this.lastUsed) if (!this.busy.has(name) && used < cutoff) this.forget(name);
  }

  private forget(name: string): void {
    this.lastUsed.delete(name);
    void this.supervisor.remove(name);
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
    this.lastUsed.clear();
    await this.supervisor.close();
  }
}

/** JSON with object keys sorted, so equal configs hash equally whatever order the caller wrote. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}
