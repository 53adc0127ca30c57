import { existsSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve, sep } from 'node:path';
import type { SpawnSpec } from '../upstream/stdio-transport.js';

/**
 * Directories never bound automatically, because binding them would hand the server most of the
 * host (or its secrets: /root, /home, /etc). A server that needs one says so in `sandbox.mounts`.
 */
const TOO_BROAD = new Set(['/', '/etc', '/root', '/home', '/proc', '/sys', '/dev', '/run', '/var', '/tmp', '/boot', '/mnt', '/media', '/opt', '/srv']);

export interface ServerPaths {
  /** Directories to bind read-only so the server can load its own code. */
  readOnly: string[];
  /** Paths the rule would have bound but refused as too broad. */
  refused: string[];
}

/**
 * The read-only binds a server needs to start: the Node runtime the gateway runs on, the command's
 * directory, the project owning each existing path among command and args, and the cwd. "The
 * project owning a file" is the directory above its first `node_modules` segment (so a package's
 * own dependencies and hoisted siblings come along), else the nearest ancestor holding
 * `package.json` or `node_modules`, else the file's own directory.
 *
 * @example
 * serverPaths({ command: '/usr/bin/node', args: ['/srv/app/dist/main.js'], env: {}, cwd: '/srv/app' }, '/usr/bin/node');
 * // { readOnly: ['/usr/bin', '/srv/app'], refused: [] }
 */
export function serverPaths(spec: SpawnSpec, resolvedCommand: string | undefined): ServerPaths {
  const wanted: string[] = [];
  for (const exe of [process.execPath, realpathOrSelf(process.execPath)]) wanted.push(dirname(exe));
  if (resolvedCommand) {
    wanted.push(dirname(resolvedCommand));
    wanted.push(projectRoot(realpathOrSelf(resolvedCommand)));
  }
  for (const arg of spec.args) {
    if (arg.startsWith('-')) continue; // an option, not a path; `--x=/p` forms need sandbox.mounts
    const full = isAbsolute(arg) ? arg : resolve(spec.cwd, arg);
    if (!existsSync(full)) continue;
    wanted.push(projectRoot(full));
    const real = realpathOrSelf(full);
    if (real !== full) wanted.push(projectRoot(real));
  }
  if (existsSync(spec.cwd)) wanted.push(spec.cwd);
  const readOnly: string[] = [];
  const refused: string[] = [];
  for (const path of new Set(wanted)) (TOO_BROAD.has(path) ? refused : readOnly).push(path);
  return { readOnly, refused };
}

/**
 * The directory that owns `path` for loading purposes (see `serverPaths`).
 *
 * @example
 * projectRoot('/work/app/node_modules/pkg/dist/index.js'); // '/work/app'
 */
export function projectRoot(path: string): string {
  const marker = `${sep}node_modules${sep}`;
  const at = path.indexOf(marker);
  if (at > 0) return path.slice(0, at);
  let dir = isDirectory(path) ? path : dirname(path);
  const start = dir;
  for (;;) {
    if (TOO_BROAD.has(dir)) return start;
    if (existsSync(join(dir, 'package.json')) || existsSync(join(dir, 'node_modules'))) return dir;
    const up = dirname(dir);
    if (up === dir) return start;
    dir = up;
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function realpathOrSelf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}
