import * as z from 'zod';
import { DEFAULT_LIMITS } from './sandbox-default-limits.js';
import { parseEgressRule } from './egress-rules.js';

const positiveInt = z.int().positive();

/** uid 0 is excluded on purpose: as root, bwrap's own `--uid` still reads /etc/shadow (sandbox.md). */
const unprivilegedId = z.int().min(1).max(4_294_967_294);

export const sandboxMountSchema = z
  .strictObject({
    path: z.string().min(1).describe('Absolute host path, bound at the same path inside the sandbox.'),
    mode: z.enum(['ro', 'rw']).default('ro').describe('"ro" (default) or "rw". A "rw" path must be writable by the sandbox uid on the host.'),
  })
  .describe('An extra bind mount.');

/** A bound that applies by default: `null` lifts it (for one server, or gateway-wide). */
const bound = <T extends z.ZodType>(schema: T) => schema.nullable().optional();

export const sandboxLimitsSchema = z
  .strictObject({
    memoryMb: bound(positiveInt).describe(
      `Memory for the whole process tree, in MiB, tmpfs files (/tmp, the default scratch) included (cgroup v1 memory controller). Default: ${DEFAULT_LIMITS.memoryMb}; null for no limit. Reported as not enforced where the host has no such controller.`,
    ),
    pids: bound(positiveInt).describe(
      `Tasks (processes and threads) for the whole tree (cgroup v1 pids; else RLIMIT_NPROC, which counts every process of the sandbox uid on the host). A Node server needs about 12 before it spawns anything. Default: ${DEFAULT_LIMITS.pids}; null for no limit.`,
    ),
    cpus: bound(z.number().min(0.01).max(1024)).describe(
      `CPU time per second of wall time for the whole tree, in cores (cgroup v1 CPU quota: a busy server is slowed down, never killed). Default: ${DEFAULT_LIMITS.cpus}; null for no limit.`,
    ),
    tmpMb: bound(positiveInt).describe(`Size of the private /tmp inside the sandbox (a tmpfs), in MiB. Default: ${DEFAULT_LIMITS.tmpMb}; null for the kernel's default of half the host's memory.`),
    scratchMb: bound(positiveInt).describe(
      `Size of the default scratch directory (HOME), a tmpfs inside the sandbox, in MiB. Default: ${DEFAULT_LIMITS.scratchMb}; null for a directory on the host disk without a cap. A configured sandbox.scratch is a host directory and is not capped (use a filesystem quota).`,
    ),
    cpuSeconds: positiveInt.optional().describe('CPU seconds per process (RLIMIT_CPU); a process that uses them is killed. Default: none (it would kill a long-lived server; see cpus).'),
    openFiles: positiveInt.optional().describe('Open file descriptors per process (RLIMIT_NOFILE).'),
    wallClockSeconds: positiveInt.optional().describe('Lifetime of the server process; the supervisor kills it when it is over.'),
    outputBytesPerSecond: positiveInt
      .optional()
      .describe('Console output (stderr, and stdout lines that are not JSON-RPC) kept per second; later lines are dropped with one marker line, and a server above 10 times this rate for 3 one-second windows in a row is killed. Enforced by the transport.'),
  })
  .describe('Resource limits. Each one applied is listed as enforced, each one the host cannot apply as not enforced.');

/** One allow entry, checked where it is written so that a mistake is reported at its own index. */
const egressEntry = z.string().superRefine((entry, ctx) => {
  const parsed = parseEgressRule(entry);
  if ('problem' in parsed) ctx.addIssue({ code: 'custom', message: parsed.problem });
});

export const sandboxNetworkSchema = z
  .union([
    z.enum(['none', 'host']),
    z.strictObject({
      allow: z
        .array(egressEntry)
        .describe(
          'Destinations the server may reach through the egress proxy: "host:port"; "host" (ports 80 and 443 only); "*.example.com" (names below it, not example.com itself); IP addresses ("10.0.0.5:5432", "[2001:db8::1]:443"). A name matched only by a wildcard must resolve to a public address.',
        ),
    }),
  ])
  .describe(
    '"none" (default): loopback only, inside its own network namespace. "host": the host network. { allow: [...] }: its own namespace as with "none", plus an egress proxy in the gateway that the server reaches through HTTP_PROXY/HTTPS_PROXY and that lets only the listed destinations through.',
  );

/**
 * The `"sandbox": {...}` block, valid both per server and as the gateway-wide default. Every key is
 * optional here; `resolveSandboxProfile` merges a server's block over the default and fills in the
 * rest. Paths must be absolute by the time they reach the resolver: the config normalizer resolves
 * relative ones against the config file's directory, as it does for `cwd`.
 *
 * @example
 * const input = sandboxProfileSchema.parse({ network: 'host', limits: { memoryMb: 256, pids: 64 } });
 */
export const sandboxProfileSchema = z
  .strictObject({
    backend: z
      .enum(['bubblewrap', 'none'])
      .optional()
      .describe('"bubblewrap" runs the server under bwrap; "none" runs it unconfined. Default: "bubblewrap" when a working bwrap is on PATH, else "none" with a loud warning.'),
    allowFallback: z
      .boolean()
      .optional()
      .describe('When bubblewrap is asked for but unusable, run unconfined (with a warning) instead of refusing to start. Default: false.'),
    mounts: z.array(sandboxMountSchema).optional().describe('Extra bind mounts. Default: none. Replaces (not extends) the gateway default when given.'),
    autoMounts: z
      .boolean()
      .optional()
      .describe(
        'Bind the paths named by command, args and cwd automatically (read-only; a data directory argument read-write). false: bind only what the command needs to run (the runtime, the command and its own project), never args or the cwd; the server starts in its scratch. Default: true (inline /rpc servers: always false).',
      ),
    scratch: z
      .string()
      .min(1)
      .optional()
      .describe('A writable directory that is HOME inside the sandbox. Default: a fresh directory under the OS temp dir per process, removed on exit.'),
    env: z
      .array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: 'expected an environment variable name' }))
      .optional()
      .describe('Names of gateway environment variables passed through. Default: none. The entry\'s own env always passes.'),
    network: sandboxNetworkSchema.optional(),
    seccomp: z
      .boolean()
      .optional()
      .describe(
        'Run the server under the seccomp filter that refuses namespace creation (unshare, setns, clone with namespace flags), mounts, ptrace, kernel module and kexec loading, bpf, perf_event_open, keyrings and the other calls listed in docs/sandbox.md (modelled on Docker\'s default profile). x86_64 and aarch64 only; elsewhere it is reported as not enforced. Default: true.',
      ),
    limits: sandboxLimitsSchema.optional(),
    uid: unprivilegedId.optional().describe('User id the server runs as when the gateway is root. Default: 65534. Never 0.'),
    gid: unprivilegedId.optional().describe('Group id the server runs as when the gateway is root. Default: 65534. Never 0.'),
  })
  .describe('How a stdio server is confined.');

export type SandboxProfileInput = z.output<typeof sandboxProfileSchema>;
export type SandboxMount = z.output<typeof sandboxMountSchema>;
/** Limits as written: a `null` lifts a default. */
export type SandboxLimitsInput = z.output<typeof sandboxLimitsSchema>;
/** Limits as applied: defaults filled in, lifted ones absent. */
export type SandboxLimits = { [K in keyof SandboxLimitsInput]?: Exclude<SandboxLimitsInput[K], null> };
