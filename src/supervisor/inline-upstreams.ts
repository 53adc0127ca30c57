import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
 * idle one makes room). Every inline server is sandboxed (bubblewrap, no fallback), and npx/uvx
 * servers share one package cache.
 */
export class InlineUpstreams {
  private readonly lastUsed = new Map<string, number>();
  private readonly busy = new Map<string, number>();
  private readonly sweeper: NodeJS.Timeout;
  readonly cacheDir: string;

  constructor(
    private readonly supervisor: Supervisor,
    private rpc: RpcConfig,
  ) {
    this.cacheDir = rpc.packageCacheDir ?? join(tmpdir(), 'mcp-outlet-packages');
    this.sweeper = setInterval(() => void this.sweep(), Math.min(rpc.idleTimeoutMs, 30_000));
    this.sweeper.unref();
  }

  reconfigure(rpc: RpcConfig): void {
    this.rpc = rpc;
  }

  /** The config an inline entry really runs with: always caged, and with the shared package cache. */
  harden(server: ServerConfig): ServerConfig {
    if (server.transport !== 'stdio') return server;
    const mounts = [...server.sandbox.mounts.filter((m) => m.path !== this.cacheDir), { path: this.cacheDir, mode: 'rw' as const }];
    return {
      ...server,
      sandbox: { ...server.sandbox, backend: 'bubblewrap', allowFallback: false, autoMounts: false, mounts },
      // npm and uv read their cache location from the environment.
      env: { ...server.env, npm_config_cache: join(this.cacheDir, 'npm'), UV_CACHE_DIR: join(this.cacheDir, 'uv') },
    };
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
    if (!warm) {
      this.makeRoom();
      if (server.transport === 'stdio') this.ensureCacheDir();
    }
    const upstream = this.supervisor.ensure(name, { ...server, name, prefix: name }, parent);
    this.lastUsed.set(name, Date.now());
    this.busy.set(name, (this.busy.get(name) ?? 0) + 1);
    return { name, upstream, warm };
  }

  /** The sandbox runs servers as an unprivileged uid when the gateway is root: the shared cache must be writable to it. */
  private ensureCacheDir(): void {
    mkdirSync(this.cacheDir, { recursive: true });
    try {
      chmodSync(this.cacheDir, 0o1777);
    } catch {
      // Not ours to change (a configured directory): the operator set its permissions.
    }
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
