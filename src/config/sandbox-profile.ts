import type { SandboxLimits, SandboxMount } from './sandbox-schema.js';

/** The ids a root gateway drops to by default; `nobody:nogroup` on Debian, no passwd entry needed. */
export const DEFAULT_SANDBOX_ID = 65534;

/**
 * A server's sandbox with every default filled in: what the config loader produces for each stdio
 * entry and what the spawn builders consume.
 */
export interface SandboxProfile {
  backend: 'bubblewrap' | 'none';
  /** Why the backend is what it is when the config did not say (shown in the warning). */
  backendReason?: string;
  allowFallback: boolean;
  mounts: SandboxMount[];
  /** Bind the paths named by command, args and cwd (see sandbox/server-paths.ts); false: only what the command needs to run. */
  autoMounts: boolean;
  /** An existing or to-be-created directory; absent means a fresh temp dir per process. */
  scratch?: string;
  env: string[];
  /**
   * `none` and `host` are namespace modes; `{ allow }` keeps the namespace of `none` and adds the
   * egress proxy (entries validated at resolution, parsed per spawn).
   */
  network: SandboxNetwork;
  /**
   * The gateway's own files (its config file, lock and audit files): never shown to the server,
   * even inside a directory it gets bound, unless one of `mounts` names the file itself.
   */
  hide: string[];
  /** Whether the seccomp filter of sandbox/seccomp-filter.ts is loaded into the cage. */
  seccomp: boolean;
  limits: SandboxLimits;
  uid: number;
  gid: number;
}

export type SandboxNetwork = 'none' | 'host' | { allow: string[] };
