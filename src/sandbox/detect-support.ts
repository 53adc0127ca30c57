import { spawnSync } from 'node:child_process';
import { detectCgroupV1, detectCgroupV2 } from './cgroup-detect.js';
import { findExecutable } from './find-executable.js';
import { provideSandboxHostProbe } from '../config/sandbox-host.js';
import { DEFAULT_SANDBOX_ID } from '../config/sandbox-profile.js';
import type { SandboxSupport } from './types.js';

let cached: SandboxSupport | undefined;

/**
 * Measures what this host offers for sandboxing: a working bwrap, root or not, prlimit, and which
 * cgroup controllers we can create groups in. It runs bwrap once (about 10 ms), so the answer is
 * cached for the life of the process; pass `{ refresh: true }` to measure again. `/ready` can show
 * the returned object as it is.
 *
 * @example
 * const support = detectSandboxSupport();
 * if (!support.bwrap.usable) console.warn(support.bwrap.error);
 */
export function detectSandboxSupport(options: { refresh?: boolean } = {}): SandboxSupport {
  if (cached && !options.refresh) return cached;
  const uid = process.getuid?.() ?? -1;
  const root = uid === 0;
  const pathVar = process.env.PATH;
  const prlimit = findExecutable('prlimit', pathVar);
  const sh = findExecutable('sh', '/bin:/usr/bin');
  const v2 = detectCgroupV2();
  cached = {
    root,
    uid,
    bwrap: probeBwrap(findExecutable('bwrap', pathVar), root),
    ...(prlimit ? { prlimit } : {}),
    ...(sh ? { sh } : {}),
    cgroup: {
      // cgroup files are root's; a non-root gateway rarely has a delegated v1 subtree.
      v1: root ? cgroupV1() : {},
      ...(v2 ? { v2 } : {}),
    },
  };
  return cached;
}

// The config loader chooses a server's default backend by whether bwrap works here; it may not run
// bwrap itself (config/sandbox-host.ts), so this probe is handed to it as soon as the runtime loads.
provideSandboxHostProbe(detectSandboxSupport);

function cgroupV1(): SandboxSupport['cgroup']['v1'] {
  const memory = detectCgroupV1('memory');
  const pids = detectCgroupV1('pids');
  const cpu = detectCgroupV1('cpu');
  return { ...(memory ? { memory } : {}), ...(pids ? { pids } : {}), ...(cpu ? { cpu } : {}) };
}

function probeBwrap(path: string | undefined, root: boolean): SandboxSupport['bwrap'] {
  if (!path) return { usable: false, error: 'bwrap was not found on PATH' };
  const version = run(path, ['--version']).stdout.trim().replace(/^bubblewrap\s+/, '') || undefined;
  const base = { path, ...(version ? { version } : {}) };
  const asSelf = run(path, ['--ro-bind', '/', '/', 'true']);
  if (asSelf.error) return { ...base, usable: false, error: `bwrap does not run: ${asSelf.error}` };
  if (root) {
    // The sandbox runs bwrap as an unprivileged uid, where it needs unprivileged user namespaces;
    // hosts that disable them (sysctl, AppArmor, container seccomp) fail only this probe.
    const asUser = run(path, ['--unshare-all', '--ro-bind', '/', '/', 'true'], DEFAULT_SANDBOX_ID);
    if (asUser.error) return { ...base, usable: false, error: `bwrap fails for an unprivileged uid (user namespaces disabled?): ${asUser.error}` };
  }
  return { ...base, usable: true };
}

function run(command: string, args: string[], id?: number): { stdout: string; error?: string } {
  const r = spawnSync(command, args, {
    encoding: 'utf8',
    timeout: 5000,
    cwd: '/',
    env: { PATH: '/usr/bin:/bin' },
    ...(id !== undefined ? { uid: id, gid: id } : {}),
  });
  if (r.error) return { stdout: '', error: r.error.message };
  if (r.status !== 0) return { stdout: r.stdout, error: (r.stderr.trim() || `exit status ${r.status ?? r.signal}`).split('\n')[0] };
  return { stdout: r.stdout };
}
