import type { SpawnSpec } from './spawn-spec.js';
import { buildSandboxedSpawn } from './build-sandboxed-spawn.js';
import { detectSandboxSupport } from './detect-support.js';
import type { SandboxProfile } from '../config/sandbox-profile.js';
import type { EgressRefusal, SandboxedSpawn, SandboxSupport } from './types.js';

export interface SandboxWrapper {
  /** Pass as the transport hook `wrapSpawn`: builds one sandbox per call and keeps its cleanup. */
  wrapSpawn: (spec: SpawnSpec) => SpawnSpec;
  /**
   * Pass as the transport hook `onExit`: releases the oldest sandbox still held. With one process
   * per wrapper at a time (the supervisor restarts only after an exit) that is exactly the one
   * whose process ended.
   */
  onExit: () => void;
  /** Releases every sandbox still held; for server removal and gateway shutdown. Idempotent. */
  dispose: () => void;
  /** The report of the latest spawn: enforced, notEnforced, warning, supervise. */
  readonly last: SandboxedSpawn | undefined;
  /** The oldest sandbox still held: the one the next `onExit` releases (read its usage first). */
  readonly current: SandboxedSpawn | undefined;
  /** Sandboxes built and not yet released. */
  readonly held: number;
}

export interface SandboxWrapperHooks {
  /** Called after each build, e.g. to log `warning` loudly and `notEnforced` once. */
  onSpawn?: (result: SandboxedSpawn) => void;
  /** Called for each destination the egress proxy of a `network: { allow }` process refuses. */
  onEgressRefused?: (refusal: EgressRefusal) => void;
}

/** Every cleanup not yet run, across wrappers, so a gateway that exits abruptly still tidies up. */
const outstanding = new Set<() => void>();
let exitHookInstalled = false;

/**
 * The convenience the gateway uses: one wrapper per server entry, with its resolved profile.
 * Cleanup is tied to the process's exit through `onExit`, with `dispose` for shutdown and a
 * process `exit` hook as the last resort (all cleanups are synchronous: rmdir and rm).
 *
 * @example
 * const sandbox = createSandboxWrapper(resolveSandboxProfile(entry.sandbox, { defaults: config.sandbox }), undefined, {
 *   onSpawn: (r) => r.warning && logger.warn(r.warning),
 * });
 * const transport = (await clientTransportFor(entry))({ wrapSpawn: sandbox.wrapSpawn, onExit: sandbox.onExit });
 */
export function createSandboxWrapper(profile: SandboxProfile, support?: SandboxSupport, hooks: SandboxWrapperHooks = {}): SandboxWrapper {
  const held: Array<{ result: SandboxedSpawn; cleanup: () => void }> = [];
  let last: SandboxedSpawn | undefined;
  installExitHook();
  const release = (entry: { cleanup: () => void } | undefined): void => {
    if (!entry) return;
    outstanding.delete(entry.cleanup);
    entry.cleanup();
  };
  return {
    wrapSpawn(spec) {
      const result = buildSandboxedSpawn(spec, profile, support ?? detectSandboxSupport(), hooks.onEgressRefused ? { onEgressRefused: hooks.onEgressRefused } : {});
      const cleanup = (): void => result.cleanup();
      held.push({ result, cleanup });
      outstanding.add(cleanup);
      last = result;
      hooks.onSpawn?.(result);
      return result.spec;
    },
    onExit: () => release(held.shift()),
    dispose: () => {
      while (held.length > 0) release(held.shift());
    },
    get last() {
      return last;
    },
    get current() {
      return held[0]?.result;
    },
    get held() {
      return held.length;
    },
  };
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const cleanup of outstanding) {
      try {
        cleanup();
      } catch {
        // best effort while exiting
      }
    }
  });
}
