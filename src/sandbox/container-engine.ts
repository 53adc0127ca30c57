import { spawnSync } from 'node:child_process';
import { OutletError } from '../errors/index.js';
import type { ContainerEntry } from '../config/container-entry.js';

/** Long enough for a remote engine's round trip, short enough that a dead one is reported soon. */
export const ENGINE_PROBE_TIMEOUT_MS = 10_000;

/** Engines that answered, by command line and environment: asked once per gateway, not per restart. */
const reachable = new Set<string>();

/**
 * Asks the engine for its version, with the entry's own global options and the CLI's environment,
 * before the first container is started: `docker version` fails when the daemon's socket is not
 * there, `podman --remote version` when its service is not, and a missing binary fails to spawn.
 * Their own message is what the operator needs, so it is quoted. A failure is not remembered: the
 * next restart asks again, as the engine may have come up meanwhile.
 *
 * @example
 * probeEngine(parseContainerEntry('docker', ['run', '-i', 'img'])!, 'docker', { DOCKER_HOST: 'unix:///nope.sock' });
 * // throws SANDBOX_UNAVAILABLE: container engine unreachable: "docker version" failed: Cannot connect to the Docker daemon ...
 */
export function probeEngine(entry: ContainerEntry, command: string, env: Record<string, string>, timeoutMs = ENGINE_PROBE_TIMEOUT_MS): void {
  const args = [...entry.globals, 'version'];
  const key = JSON.stringify([command, args, env]);
  if (reachable.has(key)) return;
  const shown = `${entry.engine}${entry.globals.length > 0 ? ` ${entry.globals.join(' ')}` : ''} version`;
  const result = spawnSync(command, args, { env, timeout: timeoutMs, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const fail = (why: string): never => {
    throw new OutletError('SANDBOX_UNAVAILABLE', `container engine unreachable: "${shown}" ${why}`, { engine: entry.engine, command });
  };
  if (result.error) {
    const code = (result.error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') fail(`could not run: ${command} was not found on PATH (install ${entry.engine}, e.g. apt-get install ${entry.engine === 'docker' ? 'docker.io' : 'podman'})`);
    if (code === 'ETIMEDOUT') fail(`did not answer within ${timeoutMs} ms`);
    fail(`could not run: ${result.error.message}`);
  }
  if (result.status !== 0) {
    const lines = `${result.stderr}\n${result.stdout}`.split('\n').map((l) => l.trim()).filter(Boolean);
    fail(`failed (${result.status === null ? `signal ${result.signal}` : `exit code ${result.status}`}): ${lines.slice(-3).join(' | ') || 'no output'}`);
  }
  reachable.add(key);
}

/**
 * A CLI killed by signal leaves its container running: podman's runs under conmon, docker's under
 * the daemon, and a server that is PID 1 ignores the SIGTERM the CLI forwards. So after the CLI
 * ends the container is force-removed by name (a no-op when --rm already did it). Synchronous, as
 * every sandbox cleanup is, and bounded; the returned cleanup runs once.
 *
 * @example
 * const cleanup = removeContainer(entry, 'podman', env, 'mcp-outlet-42-ab12cd34'); // after the CLI exits: cleanup()
 */
export function removeContainer(entry: ContainerEntry, command: string, env: Record<string, string>, name: string): () => void {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    const force = entry.engine === 'podman' ? ['--force', '--ignore', '--time=0'] : ['--force'];
    spawnSync(command, [...entry.globals, 'rm', ...force, name], { env, timeout: 15_000, stdio: 'ignore' });
  };
}
