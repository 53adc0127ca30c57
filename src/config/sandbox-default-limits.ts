/**
 * The bounds every sandboxed server gets without configuration, so that a fork bomb, a memory hog
 * or a disk filler is stopped by the defaults alone. Each is generous for an ordinary MCP server
 * (a Node server runs in about 12 tasks and 60-150 MiB; `npx` doubles that) and may be raised, or
 * lifted with `null`, per server or gateway-wide.
 * - CPU is a cgroup quota, not RLIMIT_CPU: the rlimit kills a process after N CPU seconds in
 *   total, which ends every long-lived server sooner or later; a quota only slows a busy one.
 * - /tmp and the default scratch are tmpfs: their pages are also charged to the memory cgroup.
 */
export const DEFAULT_LIMITS = {
  memoryMb: 1024,
  pids: 256,
  cpus: 1,
  tmpMb: 256,
  scratchMb: 512,
} as const;

type Bounded = keyof typeof DEFAULT_LIMITS;

/**
 * Fills each default bound that is not written, and drops the ones lifted with `null`.
 *
 * @example
 * withDefaultLimits({ pids: 64, memoryMb: null }); // { pids: 64, cpus: 1, tmpMb: 256, scratchMb: 512 }
 */
export function withDefaultLimits<T extends Partial<Record<Bounded, number | null>>>(limits: T): { [K in keyof T]: Exclude<T[K], null> } {
  const out: Record<string, unknown> = { ...DEFAULT_LIMITS };
  for (const [key, value] of Object.entries(limits)) if (value !== undefined) out[key] = value;
  for (const [key, value] of Object.entries(out)) if (value === null) delete out[key];
  return out as { [K in keyof T]: Exclude<T[K], null> };
}
