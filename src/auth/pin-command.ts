import { dirname, resolve } from 'node:path';
import type { OutletConfig } from '../config/index.js';
import { Gateway } from '../gateway/gateway.js';
import { resolveConfig } from '../gateway/runtime.js';
import { createLogger } from '../observability/logger.js';
import type { SecuritySections } from './auth-schema.js';
import { readLockFile, toolDigest, writeLockFile } from './pins.js';

export interface PinCommandOptions {
  /** Config file (default: the embedded default config). */
  config?: string;
  /** Lock file to write (default: the config's pinning.lockFile, else outlet.lock.json next to the config). */
  lock?: string;
  /** Only these servers (default: all enabled). Pins of other servers are kept as they are. */
  servers?: string[];
  /** How long to wait for servers to connect, in milliseconds (default: the config's connect timeout). */
  waitMs?: number;
}

export interface PinSummary {
  lockFile: string;
  tools: { server: string; tool: string; sha256: string; status: 'added' | 'changed' | 'unchanged' }[];
  /** Servers that did not connect, whose pins were left as they were. */
  unreachable: string[];
}

/**
 * `outlet pin`: starts the configured servers, lists their tools and writes the lock file, a sha256
 * over each tool's name, description and schemas. Run it to approve tools for the first time and
 * to re-approve a tool the gateway withheld after its definition changed; a running gateway picks
 * the new file up by itself.
 */
export async function pinCommand(opts: PinCommandOptions = {}): Promise<PinSummary> {
  const config = (await resolveConfig(opts.config)) as OutletConfig & SecuritySections;
  const lockFile = resolve(opts.lock ?? config.pinning?.lockFile ?? resolve(config.source ? dirname(config.source) : process.cwd(), 'outlet.lock.json'));
  const gateway = await Gateway.start(config, { logger: createLogger(process.env.OUTLET_LOG_LEVEL ?? 'warn') });
  try {
    await gateway.supervisor.waitForStartup(opts.waitMs ?? config.upstream.connectTimeoutMs);
    const lock = readLockFile(lockFile);
    const summary: PinSummary = { lockFile, tools: [], unreachable: [] };
    const now = new Date().toISOString();
    for (const up of gateway.supervisor.all()) {
      if (opts.servers && !opts.servers.includes(up.name)) continue;
      const tools = up.lists?.tools;
      if (!tools) {
        summary.unreachable.push(up.name);
        continue;
      }
      const pinned: Record<string, { sha256: string; pinnedAt: string }> = {};
      const before = lock.tools[up.name] ?? {};
      for (const tool of tools) {
        const sha256 = toolDigest(tool);
        const old = before[tool.name];
        const status = !old ? 'added' : old.sha256 === sha256 ? 'unchanged' : 'changed';
        pinned[tool.name] = status === 'unchanged' ? old! : { sha256, pinnedAt: now };
        summary.tools.push({ server: up.name, tool: tool.name, sha256, status });
      }
      // The server's pins are replaced as a whole: a tool it no longer offers loses its pin.
      lock.tools[up.name] = pinned;
    }
    writeLockFile(lockFile, lock);
    return summary;
  } finally {
    await gateway.close();
  }
}

/** The summary as the CLI prints it. */
export function formatPinSummary(summary: PinSummary): string {
  const lines = summary.tools.map((t) => `${t.status.padEnd(9)} ${t.server}/${t.tool}  ${t.sha256.slice(0, 16)}`);
  for (const s of summary.unreachable) lines.push(`skipped   ${s} (not connected; its pins are unchanged)`);
  lines.push(`wrote ${summary.lockFile}`);
  return lines.join('\n');
}
