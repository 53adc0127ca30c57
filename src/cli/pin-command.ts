import { dirname, resolve } from 'node:path';
import { loadConfigFile, transientDefaultConfig, type OutletConfig } from '../config/index.js';
import { Gateway } from '../gateway/gateway.js';
import { createLogger } from '../observability/logger.js';
import type { SecuritySections } from '../config/auth-schema.js';
import { readLockFile, toolDigest, writeLockFile, type PinnableTool, type ToolPin } from '../policy/pins/pin-store.js';

export interface PinCommandOptions {
  /** Config file (default: the embedded default config, with a workspace that leaves nothing behind). */
  config?: string;
  /** Lock file to write (default: the config's pinning.lockFile, else outlet.lock.json next to the config). */
  lock?: string;
  /** Only these servers (default: all enabled). Pins of other servers are kept as they are. */
  servers?: string[];
  /** How long to wait for servers to connect, in milliseconds (default: the config's connect timeout). */
  waitMs?: number;
  /**
   * Asked with the tools whose definition changed since their pin, before anything is written;
   * false leaves the lock file as it was. Absent: approved (the caller showed nothing, asked nothing).
   */
  confirm?: (changed: PinChange[]) => Promise<boolean>;
}

/** The parts of a definition a pin covers, minus the name (which is the key). */
export type PinnedDefinition = Omit<PinnableTool, 'name'>;

/**
 * A pin as `outlet pin` writes it: the digest, and the definition it was computed over, so the next
 * `outlet pin` can show what changed. Readers that know only `sha256` ignore the extra field.
 */
export interface RecordedPin extends ToolPin {
  definition?: PinnedDefinition;
}

/** A tool whose definition differs from its pin. `before` is absent when the pin kept no definition. */
export interface PinChange {
  server: string;
  tool: string;
  before?: PinnedDefinition;
  after: PinnedDefinition;
}

export interface PinSummary {
  lockFile: string;
  tools: { server: string; tool: string; sha256: string; status: 'added' | 'changed' | 'unchanged' }[];
  /** Servers that did not connect, whose pins were left as they were. */
  unreachable: string[];
  /** False when `confirm` declined: nothing was written. */
  written: boolean;
}

function definitionOf(tool: PinnableTool): PinnedDefinition {
  return {
    ...(tool.description !== undefined ? { description: tool.description } : {}),
    ...(tool.inputSchema !== undefined ? { inputSchema: tool.inputSchema } : {}),
    ...(tool.outputSchema !== undefined ? { outputSchema: tool.outputSchema } : {}),
  };
}

/**
 * `outlet pin`: starts the configured servers, lists their tools and writes the lock file, a sha256
 * over each tool's name, description and schemas (with the definition itself, for the next diff).
 * Run it to approve tools for the first time and to re-approve a tool the gateway withheld after
 * its definition changed; a running gateway picks the new file up by itself.
 */
export async function pinCommand(opts: PinCommandOptions = {}): Promise<PinSummary> {
  const { config: loaded, dispose } = opts.config ? { config: await loadConfigFile(opts.config), dispose: () => undefined } : transientDefaultConfig();
  const config = loaded as OutletConfig & SecuritySections;
  try {
    const lockFile = resolve(opts.lock ?? config.pinning?.lockFile ?? resolve(config.source ? dirname(config.source) : process.cwd(), 'outlet.lock.json'));
    const gateway = await Gateway.start(config, { logger: createLogger(process.env.OUTLET_LOG_LEVEL ?? 'warn') });
    try {
      await gateway.supervisor.waitForStartup(opts.waitMs ?? config.upstream.connectTimeoutMs);
      const lock = readLockFile(lockFile);
      const summary: PinSummary = { lockFile, tools: [], unreachable: [], written: false };
      const changed: PinChange[] = [];
      const now = new Date().toISOString();
      for (const up of gateway.supervisor.all()) {
        if (opts.servers && !opts.servers.includes(up.name)) continue;
        const tools = up.lists?.tools;
        if (!tools) {
          summary.unreachable.push(up.name);
          continue;
        }
        const pinned: Record<string, RecordedPin> = {};
        const before: Record<string, RecordedPin> = lock.tools[up.name] ?? {};
        for (const tool of tools) {
          const sha256 = toolDigest(tool);
          const old = before[tool.name];
          const status = !old ? 'added' : old.sha256 === sha256 ? 'unchanged' : 'changed';
          const definition = definitionOf(tool);
          // An unchanged pin keeps its date; it gains the definition if an older pin lacked it.
          pinned[tool.name] = status === 'unchanged' ? { ...old!, definition } : { sha256, pinnedAt: now, definition };
          if (status === 'changed') changed.push({ server: up.name, tool: tool.name, ...(old!.definition ? { before: old!.definition } : {}), after: definition });
          summary.tools.push({ server: up.name, tool: tool.name, sha256, status });
        }
        // The server's pins are replaced as a whole: a tool it no longer offers loses its pin.
        lock.tools[up.name] = pinned;
      }
      if (changed.length > 0 && opts.confirm && !(await opts.confirm(changed))) return summary;
      writeLockFile(lockFile, lock);
      summary.written = true;
      return summary;
    } finally {
      await gateway.close();
    }
  } finally {
    dispose();
  }
}

/** The summary as the CLI prints it. */
export function formatPinSummary(summary: PinSummary): string {
  const lines = summary.tools.map((t) => `${t.status.padEnd(9)} ${t.server}/${t.tool}  ${t.sha256.slice(0, 16)}`);
  for (const s of summary.unreachable) lines.push(`skipped   ${s} (not connected; its pins are unchanged)`);
  lines.push(summary.written ? `wrote ${summary.lockFile}` : `not approved: ${summary.lockFile} is unchanged`);
  return lines.join('\n');
}
