import { isOn, parseContainerEntry, type ContainerEntry, type ContainerOption } from './container-entry.js';
import type { SandboxProfile } from './sandbox-profile.js';

/** The gateway environment variable that lists the widening `run` flags the operator allows. */
export const ALLOW_FLAGS_VARIABLE = 'OUTLET_CONTAINER_ALLOW_FLAGS';

/** Host paths whose bind mount hands the container the host: its root, its kernel interfaces, its engine sockets. */
const HOST_ROOTS = ['/', '/proc', '/sys', '/dev', '/boot', '/etc', '/root', '/run', '/var/run'];
const ENGINE_SOCKET = /(^|\/)(docker|podman)\.sock$/;
const NAMESPACE_FLAGS = new Set(['--pid', '--ipc', '--uts', '--userns', '--cgroupns']);
const UNCONFINED_SECURITY = /^(seccomp|apparmor|systempaths)[=:]unconfined$|^label[=:]disable$|^unmask[=:]|^no-new-privileges[=:]false$/;

/**
 * What in a container entry cannot be honoured as written, one sentence each: flags that widen the
 * container's cage toward the host (container escape routes: full capabilities, host namespaces,
 * host devices, the host's root or the engine's own socket mounted in, seccomp off), a network the
 * server's sandbox does not allow, and flags that break a stdio server (a TTY, a detached start).
 * `allowed` holds the long names of the widening flags the operator opted into.
 *
 * @example
 * containerProblems(parseContainerEntry('docker', ['run', '-i', '--privileged', 'img'])!, profile, new Set());
 * // ['--privileged gives the container every capability and the host\'s devices; ...']
 */
export function containerProblems(entry: ContainerEntry, profile: SandboxProfile, allowed: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  if (entry.image === undefined) problems.push(`"${entry.engine} ${entry.subcommand.join(' ')}" names no image`);
  if (typeof profile.network === 'object') {
    problems.push(
      'sandbox.network { allow } cannot be applied to a container (the egress proxy is not reachable from a container network); set sandbox.network to "none" or "host" for this server',
    );
  }
  const widen = (option: ContainerOption, why: string): void => {
    if (!allowed.has(option.name)) problems.push(`${option.name}${option.value === 'true' ? '' : ` ${option.value}`} ${why}; remove it, or allow it with ${ALLOW_FLAGS_VARIABLE}=${option.name} in the gateway's environment`);
  };
  for (const option of entry.options) {
    const { name, value } = option;
    if (name === '--tty' && isOn(option)) problems.push('--tty gives the server a terminal, which garbles the JSON-RPC stream on stdout; remove it');
    else if (name === '--detach' && isOn(option)) problems.push('--detach starts the container in the background, away from the stdin/stdout a stdio server speaks on; remove it');
    else if (name === '--privileged' && isOn(option)) widen(option, "gives the container every capability and the host's devices");
    else if (name === '--cap-add') widen(option, 'adds kernel capabilities to the container');
    else if (name === '--device' || name === '--device-cgroup-rule' || name === '--gpus') widen(option, "hands the container the host's devices");
    else if (name === '--security-opt' && UNCONFINED_SECURITY.test(value)) widen(option, "turns off a confinement the engine applies by default");
    else if (NAMESPACE_FLAGS.has(name) && value === 'host') widen(option, "shares the host's namespace with the container");
    else if ((name === '--volume' || name === '--mount') && hostMountProblem(name, value)) widen(option, hostMountProblem(name, value)!);
    else if (name === '--network' && value !== 'none' && profile.network === 'none') {
      problems.push(`${name} ${value} opens a network the server's sandbox does not allow (sandbox.network is "none"); remove it, or set sandbox.network to "host" for this server`);
    }
  }
  return problems;
}

/** Why a `-v`/`--mount` source exposes the host, or undefined for a named volume or an ordinary directory. */
function hostMountProblem(name: string, value: string): string | undefined {
  const source = name === '--volume' ? value.split(':')[0]! : (/(?:^|,)(?:source|src)=([^,]*)/.exec(value)?.[1] ?? '');
  if (!source.startsWith('/')) return undefined;
  const path = source.replace(/\/+$/, '') || '/';
  if (ENGINE_SOCKET.test(path)) return "mounts the container engine's socket, which controls the host";
  if (HOST_ROOTS.some((root) => path === root || (root !== '/' && path.startsWith(`${root}/`)))) return `mounts the host's ${path}`;
  return undefined;
}

/** The long flag names listed in {@link ALLOW_FLAGS_VARIABLE}, comma- or space-separated. */
export function allowedFlags(env: NodeJS.ProcessEnv = process.env): Set<string> {
  return new Set((env[ALLOW_FLAGS_VARIABLE] ?? '').split(/[\s,]+/).filter(Boolean));
}

/**
 * The problems of a stdio entry if it is a container entry (none otherwise), for the config loader
 * to report at the entry's `args` before anything is started.
 *
 * @example
 * containerEntryProblems('docker', ['run', '-i', '--pid', 'host', 'img'], profile); // ['--pid host shares the host's namespace ...']
 */
export function containerEntryProblems(command: string, args: readonly string[], profile: SandboxProfile, env: NodeJS.ProcessEnv = process.env): string[] {
  const entry = parseContainerEntry(command, args);
  return entry ? containerProblems(entry, profile, allowedFlags(env)) : [];
}
