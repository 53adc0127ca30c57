/**
 * What the config loader needs to know about this host: whether bubblewrap works here, which decides
 * the backend of a server whose sandbox block names none. Finding out means running bwrap, and
 * config/ must stay free of process spawning (it loads in Workers and in code that only validates),
 * so the sandbox runtime, which measures the host anyway before it builds a cage, provides the
 * probe when it is loaded (sandbox/detect-support.ts).
 */
export interface SandboxHost {
  bwrap: { usable: boolean; error?: string };
}

/** Measures (or recalls) the host; called only for a profile that leaves `backend` unset. */
export type SandboxHostProbe = () => SandboxHost;

/**
 * Without the sandbox runtime nothing in the process can start a server, so no profile it resolves
 * is ever spawned. It still resolves to bubblewrap, the cage a server gets wherever it works: a
 * profile that is handed on to a process that spawns asks for the sandbox, and that process refuses
 * it with SANDBOX_UNAVAILABLE if bwrap does not work there, rather than running the server unconfined.
 */
const UNMEASURED: SandboxHost = { bwrap: { usable: true } };

let probe: SandboxHostProbe | undefined;

/**
 * Installs the probe {@link sandboxHost} asks; the sandbox runtime calls it once, as it loads.
 *
 * @example
 * provideSandboxHostProbe(detectSandboxSupport);
 */
export function provideSandboxHostProbe(measure: SandboxHostProbe): void {
  probe = measure;
}

/**
 * The host as the installed probe measures it.
 *
 * @example
 * if (!sandboxHost().bwrap.usable) backend = 'none';
 */
export function sandboxHost(): SandboxHost {
  return probe ? probe() : UNMEASURED;
}
