import { randomBytes } from 'node:crypto';
import type { SpawnSpec } from './spawn-spec.js';
import { isOn, type ContainerEntry } from '../config/container-entry.js';
import { probeEngine, removeContainer } from './container-engine.js';
import { cliEnvironment, containerVariables } from './container-env.js';
import { allowedFlags, containerProblems } from '../config/container-policy.js';
import { sandboxConfigInvalid } from './sandbox-errors.js';
import type { SandboxProfile } from '../config/sandbox-profile.js';
import type { SandboxedSpawn } from './types.js';

/** What `/ready` calls the sandbox of a container entry. */
export function containerBackendLabel(entry: ContainerEntry): `container (${string})` {
  return `container (${entry.engine})`;
}

/**
 * The spawn of a container entry: the container is the cage, so the engine's CLI runs outside
 * bubblewrap as the gateway's user (it needs the engine's socket), and the server's sandbox is
 * turned into `run` flags placed after the user's own, where they win (both CLIs keep the last value
 * of a repeated flag): `--interactive` and `--rm` always, `--network=none` unless the sandbox allows
 * the network, limits as `--memory`/`--memory-swap`, `--pids-limit` and `--ulimit`, and each entry
 * `env` name as `-e NAME` so values reach the container through the CLI's environment, not its
 * argv (which every local user can read in /proc). Throws CONFIG_INVALID for a widening flag and
 * SANDBOX_UNAVAILABLE when the engine does not answer.
 *
 * @example
 * const r = buildContainerSpawn(parseContainerEntry('podman', ['run', 'mcp/fetch'])!, spec, profile);
 * // r.spec.args: ['run', '--interactive', '--rm', '--network=none', 'mcp/fetch']
 */
export function buildContainerSpawn(
  entry: ContainerEntry,
  spec: SpawnSpec,
  profile: SandboxProfile,
  /** The gateway's environment: engine settings, the opt-in list, sandbox.env values. */
  env: NodeJS.ProcessEnv = process.env,
  probe: typeof probeEngine = probeEngine,
): SandboxedSpawn {
  const problems = containerProblems(entry, profile, allowedFlags(env));
  if (problems.length > 0) throw sandboxConfigInvalid(`${entry.engine} run: ${problems.join('; ')}`, { engine: entry.engine });
  const cliEnv = cliEnvironment(spec.env, profile, env);
  probe(entry, spec.command, cliEnv);

  const written = (name: string): boolean => entry.options.some((o) => o.name === name && isOn(o));
  const added: string[] = [];
  const enforced = [`container: the server runs in a ${entry.engine} container from ${entry.image}; the ${entry.engine} CLI runs outside bubblewrap as the gateway's user, with the engine's socket`];
  const notEnforced: string[] = [];
  if (!written('--interactive')) added.push('--interactive');
  if (!written('--rm')) added.push('--rm');
  const named = entry.options.filter((o) => o.name === '--name').at(-1)?.value;
  const name = named ?? `mcp-outlet-${process.pid}-${randomBytes(4).toString('hex')}`;
  if (named === undefined) added.push(`--name=${name}`);
  enforced.push(`lifetime: the container (${name}) is removed when it exits (--rm) and force-removed when the CLI ends`);

  if (profile.network === 'none') {
    added.push('--network=none');
    enforced.push('network: none, loopback only (--network=none)');
  } else notEnforced.push(`network: the container's own network as written in args (sandbox.network is "${typeof profile.network === 'string' ? profile.network : 'allow'}")`);

  const { limits } = profile;
  if (limits.memoryMb !== undefined) {
    added.push(`--memory=${limits.memoryMb}m`, `--memory-swap=${limits.memoryMb}m`);
    enforced.push(`memory: ${limits.memoryMb} MiB for the container, no swap beyond it (--memory, --memory-swap)`);
  }
  if (limits.pids !== undefined) {
    added.push(`--pids-limit=${limits.pids}`);
    enforced.push(`pids: ${limits.pids} tasks for the container (--pids-limit)`);
  }
  if (limits.cpus !== undefined && limits.cpus !== null) {
    added.push(`--cpus=${limits.cpus}`);
    enforced.push(`cpu: ${limits.cpus} cores for the container (--cpus)`);
  }
  if (limits.cpuSeconds !== undefined) {
    added.push(`--ulimit=cpu=${limits.cpuSeconds}:${limits.cpuSeconds}`);
    enforced.push(`cpu: ${limits.cpuSeconds} s per process (--ulimit cpu)`);
  }
  if (limits.openFiles !== undefined) {
    added.push(`--ulimit=nofile=${limits.openFiles}:${limits.openFiles}`);
    enforced.push(`open files: ${limits.openFiles} per process (--ulimit nofile)`);
  }
  if (limits.wallClockSeconds !== undefined) notEnforced.push(`wall clock ${limits.wallClockSeconds} s: left to the supervisor (it kills the CLI; --rm then removes the container)`);
  if (limits.outputBytesPerSecond !== undefined) notEnforced.push(`output ${limits.outputBytesPerSecond} B/s: left to the transport`);

  const passed = containerVariables(spec.env, profile, env);
  const writtenEnv = new Set(entry.options.filter((o) => o.name === '--env').map((o) => o.value.split('=')[0]));
  for (const name of passed) if (!writtenEnv.has(name)) added.push('-e', name);
  enforced.push(`environment: the image's, plus ${[...new Set([...passed, ...writtenEnv])].sort().join(', ') || 'nothing else'}`);
  if (profile.mounts.length > 0) notEnforced.push('mounts: sandbox.mounts do not apply to a container; write -v or --mount in args');
  if (profile.scratch !== undefined) notEnforced.push('scratch: sandbox.scratch does not apply to a container');

  const args = [...entry.globals, ...entry.subcommand, ...entry.optionArgs, ...added, entry.image!, ...entry.rest];
  return {
    spec: { command: spec.command, args, env: cliEnv, cwd: spec.cwd },
    cleanup: removeContainer(entry, spec.command, cliEnv, name),
    enforced,
    notEnforced,
    backend: containerBackendLabel(entry),
    supervise: {
      ...(limits.wallClockSeconds !== undefined ? { wallClockSeconds: limits.wallClockSeconds } : {}),
      ...(limits.outputBytesPerSecond !== undefined ? { outputBytesPerSecond: limits.outputBytesPerSecond } : {}),
    },
  };
}
