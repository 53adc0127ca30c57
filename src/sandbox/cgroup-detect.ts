import { mkdirSync, readFileSync, rmdirSync } from 'node:fs';
import { join, posix } from 'node:path';
import { sweepStaleCgroups } from './cgroup-group.js';
import type { CgroupV1Controller, SandboxSupport } from './types.js';

interface MountEntry {
  root: string;
  mountPoint: string;
  fsType: string;
  superOptions: string[];
}

/**
 * Finds the cgroup v1 hierarchy carrying `controller` and checks that we can create groups under
 * our own cgroup there. Groups go under our own cgroup rather than the hierarchy root so the
 * gateway's own limits (a container's, a systemd unit's) keep covering its servers: v1 charges a
 * child's usage to every ancestor when `memory.use_hierarchy` is on.
 *
 * @example
 * detectCgroupV1('memory'); // { mount: '/sys/fs/cgroup/memory', parent: '.../mcp-outlet', usable: true }
 */
export function detectCgroupV1(controller: 'memory' | 'pids' | 'cpu'): CgroupV1Controller | undefined {
  const mount = readMounts().find((m) => m.fsType === 'cgroup' && m.superOptions.includes(controller));
  if (!mount) return undefined;
  const own = ownCgroupPath((controllers) => controllers.split(',').includes(controller));
  // Our path is relative to the hierarchy root; the mount may show only a subtree of it.
  const inside = own !== undefined ? posix.relative(mount.root, own) : undefined;
  if (inside === undefined || inside.startsWith('..')) {
    return { mount: mount.mountPoint, parent: '', usable: false, error: `our ${controller} cgroup is not visible under ${mount.mountPoint}` };
  }
  const parent = join(mount.mountPoint, inside, 'mcp-outlet');
  try {
    mkdirSync(parent, { recursive: true });
    const probe = join(parent, `probe-${process.pid}`);
    mkdirSync(probe);
    rmdirSync(probe);
    sweepStaleCgroups(parent);
    return { mount: mount.mountPoint, parent, usable: true };
  } catch (err) {
    return { mount: mount.mountPoint, parent, usable: false, error: (err as Error).message };
  }
}

/**
 * Lists what the unified (v2) hierarchy offers. It is reported, not used: creating limited groups
 * in v2 needs a delegated subtree with no processes of its own ("no internal processes" rule),
 * which a gateway started in an ordinary unit or container does not have without moving itself.
 *
 * @example
 * detectCgroupV2(); // { mount: '/sys/fs/cgroup/unified', controllers: ['hugetlb'] }
 */
export function detectCgroupV2(): SandboxSupport['cgroup']['v2'] {
  const mount = readMounts().find((m) => m.fsType === 'cgroup2');
  if (!mount) return undefined;
  const own = ownCgroupPath((controllers) => controllers === '') ?? '/';
  const inside = posix.relative(mount.root, own);
  const dir = inside.startsWith('..') ? mount.mountPoint : join(mount.mountPoint, inside);
  return { mount: mount.mountPoint, controllers: readWords(join(dir, 'cgroup.controllers')) };
}

function readWords(path: string): string[] {
  try {
    return readFileSync(path, 'utf8').split(/\s+/).filter(Boolean);
  } catch {
    return [];
  }
}

/** Our cgroup path in the hierarchy whose controller list matches, from /proc/self/cgroup (cgroups(7)). */
function ownCgroupPath(matches: (controllers: string) => boolean): string | undefined {
  for (const line of safeRead('/proc/self/cgroup').split('\n')) {
    const m = /^\d+:([^:]*):(.*)$/.exec(line);
    if (m && matches(m[1] ?? '')) return m[2];
  }
  return undefined;
}

/** Parses /proc/self/mountinfo (proc(5)): the root and fs type tell us which cgroup subtree is mounted where. */
function readMounts(): MountEntry[] {
  const entries: MountEntry[] = [];
  for (const line of safeRead('/proc/self/mountinfo').split('\n')) {
    const [left, right] = line.split(' - ');
    if (!left || !right) continue;
    const fields = left.split(' ');
    const [fsType, , superOpts] = right.split(' ');
    if (!fields[3] || !fields[4] || !fsType) continue;
    entries.push({ root: unescape(fields[3]), mountPoint: unescape(fields[4]), fsType, superOptions: (superOpts ?? '').split(',') });
  }
  return entries;
}

/** mountinfo writes space, tab, newline and backslash as three-digit octal escapes. */
function unescape(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}

function safeRead(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}
