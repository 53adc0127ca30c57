import type { MountOp } from './mount-plan.js';

export interface BwrapInputs {
  mounts: MountOp[];
  network: 'none' | 'host';
  chdir: string;
  /** Whether this bwrap takes `--size` (0.7.0+); without it tmpfs mounts get the kernel's default size. */
  tmpfsSize?: boolean;
  /** A descriptor the launcher inherits holding the seccomp program; absent: no filter. */
  seccompFd?: number;
  command: string;
  args: string[];
}

/**
 * The bwrap argument vector (bwrap(1), version 0.8). Each flag is here for a measured reason:
 * - `--unshare-all`: own user, pid, ipc, uts, cgroup and network namespaces; `--share-net` puts
 *   the host network back only when the profile asks for it.
 * - `--cap-drop ALL`: without it a root-launched sandbox remounted / read-write (sandbox.md).
 * - `--die-with-parent`: the tree dies with its launcher; with the pid namespace, all of it.
 * - `--new-session`: no controlling terminal to push input into (TIOCSTI, CVE-2017-5226).
 * - `--seccomp FD`: bwrap reads the filter (seccomp-filter.ts) from FD, closes it, and loads it
 *   just before it execs the server, after its own namespace set-up, which needs what it refuses.
 * - `--remount-ro /`: bwrap's root is a private tmpfs; without this a server could write
 *   `/etc/passwd` there. Harmless to the host, but "writes outside scratch fail" should hold.
 * - No `--clearenv` / `--setenv`: values on a command line are readable by every user of the host
 *   (`ps`, /proc/<pid>/cmdline), secrets in an entry's `env` included. The launcher is spawned
 *   with exactly the inner environment instead, which bwrap passes on (it only sets PWD).
 *
 * @example
 * bwrapArgs({ mounts, network: 'none', chdir: '/srv/app', command: '/usr/bin/node', args: ['main.js'] });
 */
export function bwrapArgs(inputs: BwrapInputs): string[] {
  const args = ['--unshare-all'];
  if (inputs.network === 'host') args.push('--share-net');
  args.push('--cap-drop', 'ALL', '--die-with-parent', '--new-session');
  if (inputs.seccompFd !== undefined) args.push('--seccomp', String(inputs.seccompFd));
  for (const op of inputs.mounts) args.push(...mountArgs(op, inputs.tmpfsSize ?? true));
  args.push('--remount-ro', '/', '--chdir', inputs.chdir, '--', inputs.command, ...inputs.args);
  return args;
}

function mountArgs(op: MountOp, sized: boolean): string[] {
  switch (op.kind) {
    case 'ro':
      return ['--ro-bind', op.source ?? op.path, op.path];
    case 'rw':
      return ['--bind', op.source ?? op.path, op.path];
    case 'symlink':
      return ['--symlink', op.target, op.path];
    case 'tmpfs':
      // `--size` caps the next tmpfs (bwrap 0.7+); without it the kernel allows half the host's memory.
      return [
        ...(op.mode !== undefined ? ['--perms', op.mode.toString(8).padStart(4, '0')] : []),
        ...(op.sizeBytes !== undefined && sized ? ['--size', String(op.sizeBytes)] : []),
        '--tmpfs',
        op.path,
      ];
    case 'dir':
      return ['--dir', op.path];
    case 'proc':
      return ['--proc', op.path];
    case 'dev':
      return ['--dev', op.path];
  }
}
