import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdirSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { isOutletError } from '../errors/index.js';
import type { SpawnSpec } from './spawn-spec.js';
import { buildUnsandboxedSpawn } from './build-unsandboxed-spawn.js';
import { bwrapArgs } from './bwrap-args.js';
import { detectSandboxSupport } from './detect-support.js';
import { prepareEgress, type EgressPlan } from './egress-plan.js';
import { findExecutable } from './find-executable.js';
import { accessWarnings, allows } from './host-access.js';
import { planLimits, type LimitsPlan } from './limits-plan.js';
import { diskBounds, supportsSize } from './disk-bounds.js';
import { planMounts } from './mount-plan.js';
import { planReach } from './reach-plan.js';
import { INSTALL_HINT, sandboxConfigInvalid, sandboxUnavailable } from './sandbox-errors.js';
import { createScratchDir, type ScratchDir } from './scratch-dir.js';
import { seccompFor } from './seccomp-plan.js';
import { serverPaths } from './server-paths.js';
import type { SandboxProfile } from '../config/sandbox-profile.js';
import type { SandboxedSpawn, SandboxSupport, SpawnHooks } from './types.js';

/**
 * Moves the launcher into each cgroup given before `--`, then execs the rest. It runs as the
 * sandbox uid (spawn drops ids before exec), which may write the `cgroup.procs` files handed to it.
 * Exit 125 (a failed join) stops the start rather than running the server unlimited.
 */
const JOIN_SCRIPT = 'while [ "$1" != -- ]; do echo $$ > "$1" || exit 125; shift; done; shift; exec "$@"';

/** The spawn's descriptor carrying the seccomp program (SpawnSpec.fd3); the launchers pass it on. */
const SECCOMP_FD = 3;

let sequence = 0;

/**
 * Wraps a stdio server spawn in bubblewrap: private namespaces, no capabilities, a read-only view
 * of the system and of the server's own files, a private writable scratch dir as HOME, a cleared
 * environment, and the limits this host can apply. As root, the process starts under the profile's
 * unprivileged ids: bwrap's own `--uid` is still uid 0 for file access (sandbox.md). Call
 * `cleanup()` after the process exits. An unusable bwrap throws unless `allowFallback` is set.
 *
 * @example
 * const sandboxed = buildBubblewrapSpawn(spec, resolveSandboxProfile({ limits: { pids: 64 } }), detectSandboxSupport());
 * const transport = new StdioClientProcessTransport({ spec: sandboxed.spec, onExit: () => sandboxed.cleanup() });
 */
export function buildBubblewrapSpawn(spec: SpawnSpec, profile: SandboxProfile, support: SandboxSupport = detectSandboxSupport(), hooks: SpawnHooks = {}): SandboxedSpawn {
  const bwrap = support.bwrap.path;
  if (!support.bwrap.usable || !bwrap) {
    const detail = support.bwrap.error ?? 'bwrap is unusable';
    if (profile.allowFallback) return buildUnsandboxedSpawn(spec, profile, `bubblewrap is unusable (${detail}) and sandbox.allowFallback is true`);
    throw sandboxUnavailable(`${detail}. To fix: ${INSTALL_HINT}; or set sandbox.allowFallback to true to run unconfined`, { missing: 'bwrap', detail });
  }
  for (const mount of profile.mounts) {
    if (!existsSync(mount.path)) throw sandboxConfigInvalid(`sandbox mount "${mount.path}" does not exist on the host`, { path: mount.path });
  }
  const owner = support.root ? { uid: profile.uid, gid: profile.gid } : undefined;
  const scratch = createScratchDir(profile.scratch, owner);
  let limits: LimitsPlan | undefined;
  let egress: EgressPlan | undefined;
  try {
    limits = planLimits(profile.limits, support, `${process.pid}-${++sequence}-${randomBytes(3).toString('hex')}`, owner);
    if (typeof profile.network === 'object') egress = prepareEgress(profile.network.allow, owner, hooks.onEgressRefused);
    return assemble(spec, profile, support, { bwrap, owner, scratch, limits, egress });
  } catch (err) {
    egress?.close();
    limits?.release();
    scratch.remove();
    throw isOutletError(err) ? err : sandboxUnavailable(`cannot prepare the sandbox: ${(err as Error).message}`, {}, err);
  }
}

/**
 * Where a server whose cwd is not bound starts: its scratch, or, for a relative cwd (an inline
 * server's), that directory under its scratch. A cwd that climbs out (`..`) or an absolute one
 * that is not bound falls back to the scratch itself. On a host scratch the directories are
 * made here for the sandbox ids; a scratch that is a tmpfs inside the cage hides the host
 * directory, so there they are made by bwrap (`dirs`), after that tmpfs is mounted.
 */
function scratchCwd(scratch: string, cwd: string, owner: { uid: number; gid: number } | undefined, inCage: boolean): { dir: string; dirs: string[] } {
  if (isAbsolute(cwd) || cwd === '.' || cwd.split(/[\\/]/).includes('..')) return { dir: scratch, dirs: [] };
  let dir = scratch;
  const dirs: string[] = [];
  for (const part of cwd.split('/').filter((p) => p !== '' && p !== '.')) {
    dir = join(dir, part);
    if (inCage) dirs.push(dir);
    else if (!existsSync(dir)) {
      mkdirSync(dir, { mode: 0o700 });
      if (owner) chownSync(dir, owner.uid, owner.gid);
    }
  }
  return { dir, dirs };
}

interface Prepared {
  bwrap: string;
  owner: { uid: number; gid: number } | undefined;
  scratch: ScratchDir;
  limits: LimitsPlan;
  /** The egress proxy and forwarder of a `network: { allow }` profile. */
  egress: EgressPlan | undefined;
}

function assemble(spec: SpawnSpec, profile: SandboxProfile, support: SandboxSupport, { bwrap, owner, scratch, limits, egress }: Prepared): SandboxedSpawn {
  const command = findExecutable(spec.command, spec.env.PATH ?? process.env.PATH, spec.cwd);
  const paths = serverPaths(spec, command, profile.autoMounts);
  // A data directory an `env` value names that does not exist yet is made here, for the sandbox ids
  // when root: writes then land as that uid in a directory the outlet created, and no existing
  // directory of the host changes owner.
  for (const dir of paths.missing) {
    mkdirSync(dir, { mode: 0o700 });
    if (owner) chownSync(dir, owner.uid, owner.gid);
    paths.readWrite.push(dir);
  }
  const env: Record<string, string> = {};
  for (const name of profile.env) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  // HOME always points at scratch: the host's HOME is not mounted, and tools write caches there.
  Object.assign(env, spec.env, { HOME: scratch.path });
  // bwrap runs as the sandbox uid: a cwd that uid cannot enter would stop it before the server starts.
  // One only a parent blocks is bound through reach-plan.ts like every other bind, and entered inside.
  const usableCwd = profile.autoMounts && existsSync(spec.cwd) && !paths.refused.includes(spec.cwd) && (!owner || allows(spec.cwd, owner, 'x'));
  const disk = diskBounds(profile, support.bwrap.version);
  const start = usableCwd ? { dir: spec.cwd, dirs: [] } : scratchCwd(scratch.path, spec.cwd, owner, disk.sizes.scratchBytes !== undefined);
  const chdir = start.dir;
  const readOnly = [...paths.readOnly.filter((path) => path !== spec.cwd || usableCwd), ...(egress?.readOnly ?? [])];
  // An allowlist keeps the namespace of "none": the proxy socket is the only way out.
  const network = profile.network === 'host' ? 'host' : 'none';
  // A mount that names a gateway file is the operator's word that this server may see it.
  const hidden = profile.hide.filter((path) => !profile.mounts.some((m) => m.path === path));
  const planned = [
    ...planMounts({ network, serverReadOnly: readOnly, serverReadWrite: paths.readWrite, mounts: profile.mounts, scratch: scratch.path, ...disk.sizes, hidden }),
    ...start.dirs.map((path) => ({ kind: 'dir' as const, path })),
  ];
  const reach = owner ? planReach(planned, owner, env) : undefined;
  const mounts = reach?.mounts ?? planned;
  const bound = (kind: 'ro' | 'rw'): string[] => mounts.filter((op) => op.kind === kind).map((op) => op.path);
  const configured = (mode: 'ro' | 'rw'): string[] => profile.mounts.filter((m) => m.mode === mode).map((m) => m.path);
  const inner = egress ? egress.wrap(command ?? spec.command, spec.args) : { command: command ?? spec.command, args: spec.args };
  const seccomp = seccompFor(profile);
  let argv = [bwrap, ...bwrapArgs({ mounts, network, chdir, tmpfsSize: supportsSize(support.bwrap.version), ...inner, ...(seccomp.program ? { seccompFd: SECCOMP_FD } : {}) })];
  // The inner environment goes through the launcher chain (prlimit, sh, bwrap pass it on), never
  // on a command line: every host user can read argv. Every launcher is named by absolute path.
  const innerEnv = egress ? egress.holdEnv(env) : env;
  if (limits.prlimitArgs.length > 0 && support.prlimit) argv = [support.prlimit, ...limits.prlimitArgs, '--', ...argv];
  if (limits.joinFiles.length > 0 && support.sh) argv = [support.sh, '-c', JOIN_SCRIPT, 'mcp-outlet-join', ...limits.joinFiles, '--', ...argv];
  // Binding what the sandbox uid cannot reach starts as root and drops to the sandbox ids itself.
  const reaching = reach !== undefined && reach.prefix.length > 0;
  if (reaching) argv = [...reach.prefix, ...argv];

  const enforced = [
    'namespaces: user, pid, ipc, uts, cgroup' + (network === 'none' ? ', network (loopback only)' : '') + '; all capabilities dropped; new session; the tree dies with the gateway',
    `filesystem: read-only ${bound('ro').join(', ')}; writable only ${[...bound('rw'), ...(disk.sizes.scratchBytes !== undefined ? [`${scratch.path} (private tmpfs)`] : [])].join(', ')} and a private /tmp; nothing else of the host`,
    ...(hidden.length > 0 ? [`hidden: ${hidden.join(', ')} (the gateway's own files; a directory holding one shows only what it held at spawn)`] : []),
    `environment: cleared, then ${Object.keys(env).sort().join(', ')}`,
    ...(owner ? [`identity: uid ${owner.uid}, gid ${owner.gid}, no supplementary groups`] : []),
    ...(reaching ? [`reach: ${[...reach.reached].join(', ')} bound by the gateway from a private mount namespace (the sandbox uid may not search a directory above them; the host is unchanged)`] : []),
    ...(profile.network === 'host' ? ['network: the host network, as configured'] : []),
    ...(egress ? [egress.enforced] : []),
    ...(seccomp.enforced ? [seccomp.enforced] : []),
    ...disk.enforced,
    ...limits.enforced,
  ];
  const notEnforced = [
    ...(owner ? [] : [`identity: the gateway is not root, so the server keeps uid ${support.uid} (sandbox.uid ${profile.uid} not applied)`]),
    ...(seccomp.notEnforced ? [seccomp.notEnforced] : []),
    ...disk.notEnforced,
    ...limits.notEnforced,
  ];
  const warnings = [
    ...(paths.refused.length > 0 ? [`not binding ${paths.refused.join(', ')} automatically (too broad); add them to sandbox.mounts if the server needs them`] : []),
    // The egress socket's directory is 0711 by design (enter, not list): it is checked for search only.
    ...(owner ? accessWarnings(owner, [...readOnly, ...configured('ro')].filter((p) => p !== egress?.socketDir), [...paths.readWrite, ...configured('rw')], egress ? [egress.socketDir] : [], reach?.reached) : []),
  ];
  let cleaned = false;
  return {
    spec: { command: argv[0] ?? bwrap, args: argv.slice(1), env: { ...innerEnv }, cwd: scratch.path, ...(owner && !reaching ? owner : {}), ...(seccomp.program ? { fd3: seccomp.program } : {}) },
    writable: [...bound('rw'), ...(disk.sizes.scratchBytes !== undefined ? [scratch.path] : [])],
    cleanup() {
      if (cleaned) return;
      cleaned = true;
      reach?.remove();
      egress?.close();
      limits.release();
      scratch.remove();
    },
    enforced,
    notEnforced,
    ...(warnings.length > 0 ? { warning: `sandbox: ${warnings.join('; ')}` } : {}),
    supervise: limits.supervise,
    usage: () => limits.usage(),
  };
}
