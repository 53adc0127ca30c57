import { chmodSync, chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseEgressRules } from '../config/egress-rules.js';
import { startEgressProxy, type EgressProxy } from './egress-proxy.js';
import type { EgressRefusal } from './types.js';

/** Names the forwarder hands back to the server under their own names (see egress-forwarder.cjs). */
const HELD_PREFIX = 'MCP_OUTLET_HELD_';
/**
 * One V8 worker instead of one per core: the forwarder only shovels bytes, and each thread is a
 * task against the sandbox's pids limit (with CommonJS, 4 tasks in all instead of 8 on a 2-core host).
 */
const FORWARDER_FLAGS = ['--v8-pool-size=1'];
/** Linux caps sun_path at 108 bytes; macOS at 104. */
const MAX_SOCKET_PATH = 103;

/** What one spawn with `network: { allow }` adds to its sandbox. */
export interface EgressPlan {
  socketPath: string;
  /** The socket's private directory: 0711, so the sandbox uid needs only to search it (enter, not list). */
  socketDir: string;
  /** Host paths the sandbox must see read-only: the node binary, the forwarder, the socket's directory. */
  readOnly: string[];
  /** The command bwrap runs instead: the forwarder, which then runs the server. */
  wrap(command: string, args: string[]): { command: string; args: string[] };
  /**
   * The sandbox environment with every NODE_* variable renamed, so that the entry's NODE_OPTIONS
   * (a `--require` hook, `--inspect`) shapes the server and not the forwarder in front of it.
   */
  holdEnv(env: Record<string, string>): Record<string, string>;
  /** The status line for what the network may reach. */
  enforced: string;
  /** Closes the proxy and removes the socket and its directory. Idempotent. */
  close(): void;
}

/**
 * Starts the gateway side of one sandboxed process's network allowlist: a private directory (the
 * only thing of the host's /tmp the sandbox sees), the egress proxy listening on a socket in it,
 * owned by the sandbox uid so that only it can connect. One proxy per process keeps its lifetime,
 * its rules and its socket's owner that process's; see docs/sandbox-network.md.
 *
 * @example
 * const egress = prepareEgress(['api.github.com'], { uid: 65534, gid: 65534 }, (r) => log.warn(r.reason));
 * const { command, args } = egress.wrap('/usr/bin/node', ['server.js']);
 */
export function prepareEgress(allow: readonly string[], owner: { uid: number; gid: number } | undefined, onRefused?: (refusal: EgressRefusal) => void): EgressPlan {
  const rules = parseEgressRules(allow);
  const script = forwarderScript();
  const dir = mkdtempSync(join(tmpdir(), 'outlet-egress-'));
  let proxy: EgressProxy | undefined;
  try {
    // Traversable for bwrap, which binds it while running as the sandbox uid; not listable.
    chmodSync(dir, 0o711);
    const socketPath = join(dir, 'proxy.sock');
    if (socketPath.length > MAX_SOCKET_PATH) throw new Error(`the egress socket path is too long for a Unix socket (${socketPath}); set TMPDIR to a shorter directory`);
    proxy = startEgressProxy({ socketPath, rules, ...(onRefused ? { onRefused } : {}) });
    if (owner) chownSync(socketPath, owner.uid, owner.gid);
    chmodSync(socketPath, 0o600);
  } catch (err) {
    proxy?.close();
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  const { socketPath } = proxy;
  const listed = allow.length > 0 ? allow.join(', ') : 'nothing (the list is empty)';
  let closed = false;
  return {
    socketPath,
    socketDir: dir,
    readOnly: [process.execPath, script, dir],
    wrap: (command, args) => ({ command: process.execPath, args: [...FORWARDER_FLAGS, script, socketPath, '--', command, ...args] }),
    holdEnv(env) {
      const out: Record<string, string> = {};
      for (const [name, value] of Object.entries(env)) out[name.startsWith('NODE_') ? `${HELD_PREFIX}${name}` : name] = value;
      return out;
    },
    enforced: `network: only ${listed} through the egress proxy (${socketPath}; CONNECT and http:// requests, via HTTP_PROXY, HTTPS_PROXY and ALL_PROXY); no direct route out (own network namespace)`,
    close() {
      if (closed) return;
      closed = true;
      proxy.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The forwarder ships as plain JavaScript next to this module. A build that compiles src/ into
 * dist/ does not copy .cjs files, so from dist/sandbox the source tree's copy is the fallback.
 */
function forwarderScript(): string {
  for (const relative of ['./egress-forwarder.cjs', '../../src/sandbox/egress-forwarder.cjs']) {
    const path = fileURLToPath(new URL(relative, import.meta.url));
    if (existsSync(path)) return path;
  }
  throw new Error('egress-forwarder.cjs is missing from the installation (expected in src/sandbox)');
}
