import type { SpawnSpec } from './spawn-spec.js';

/** One destination the egress proxy refused (a 403), as reported to the sandbox's owner. */
export interface EgressRefusal {
  host: string;
  port: number;
  /** `CONNECT`, or the method of a plain-HTTP request. */
  method: string;
  /** The sentence the client was answered with. */
  reason: string;
}

/** Callbacks a spawn builder passes on to what it starts for the process. */
export interface SpawnHooks {
  /** Called for every destination the egress proxy refuses (network `{ allow }` only). */
  onEgressRefused?: (refusal: EgressRefusal) => void;
}

/** One cgroup v1 hierarchy we may create groups in, for one controller. */
export interface CgroupV1Controller {
  /** Where the hierarchy is mounted, e.g. /sys/fs/cgroup/memory. */
  mount: string;
  /** The directory our groups go under: `<mount><our own cgroup>/mcp-outlet`. */
  parent: string;
  usable: boolean;
  error?: string;
}

/** What this host offers, measured once per process (see `detectSandboxSupport`). */
export interface SandboxSupport {
  root: boolean;
  uid: number;
  bwrap: {
    path?: string;
    version?: string;
    /** `bwrap --ro-bind / / true` ran, and as root also under the default unprivileged uid. */
    usable: boolean;
    error?: string;
  };
  prlimit?: string;
  sh?: string;
  cgroup: {
    v1: { memory?: CgroupV1Controller; pids?: CgroupV1Controller; cpu?: CgroupV1Controller };
    /** Controllers the unified hierarchy offers; listed for the report, not used (see cgroup-v1.ts). */
    v2?: { mount: string; controllers: string[] };
  };
}

/** Limits the sandbox cannot apply itself; the supervisor and transport enforce them. */
export interface SuperviseLimits {
  /** Kill the process group this many seconds after spawn (host-side SIGKILL). */
  wallClockSeconds?: number;
  /** Output rate the transport should accept before it kills the server. */
  outputBytesPerSecond?: number;
}

/** What the kernel counted for one sandboxed tree, read just after it exits. */
export interface SandboxUsage {
  /** Processes the memory cgroup's OOM killer ended; absent without a memory cgroup. */
  oomKills?: number;
}

/** The result of wrapping one spawn. */
export interface SandboxedSpawn {
  spec: SpawnSpec;
  /** Removes the scratch dir and cgroups this spawn created. Idempotent; call after the process exits. */
  cleanup(): void;
  /** Human-readable lines, one per protection that is in force. */
  enforced: string[];
  /** Human-readable lines, one per requested protection that is not in force here, with the reason. */
  notEnforced: string[];
  /** A warning the gateway should log loudly (unconfined server, skipped paths). */
  warning?: string;
  /** Host paths the server may write (its scratch dir included); absent: not known (unsandboxed, container). */
  writable?: string[];
  supervise: SuperviseLimits;
  /** What `/ready` calls this sandbox when it is not the profile's backend, e.g. "container (podman)". */
  backend?: string;
  /** Reads the tree's counters (OOM kills); valid until `cleanup`. Absent when nothing is counted. */
  usage?: () => SandboxUsage;
}
