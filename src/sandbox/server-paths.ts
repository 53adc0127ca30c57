import { existsSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SpawnSpec } from './spawn-spec.js';
import { isInside } from './mount-plan.js';

/**
 * Directories never bound automatically, because binding them would hand the server most of the
 * host (or its secrets: /root, /home, /etc). A server that needs one says so in `sandbox.mounts`.
 */
const TOO_BROAD = new Set(['/', '/etc', '/root', '/home', '/proc', '/sys', '/dev', '/run', '/var', '/tmp', '/boot', '/mnt', '/media', '/opt', '/srv']);
/** System trees a directory argument never makes writable, whatever the rule below says. */
const SYSTEM_TREES = ['/usr', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/etc', '/boot', '/proc', '/sys', '/dev', '/run'];
/** A file of the gateway itself: a directory holding it is never handed out writable. */
const GATEWAY_FILE = fileURLToPath(import.meta.url);

export interface ServerPaths {
  /** Directories to bind read-only so the server can load its own code. */
  readOnly: string[];
  /** Directories named as arguments that hold no code: the server's data, bound read-write. */
  readWrite: string[];
  /** Paths the rule would have bound but refused as too broad. */
  refused: string[];
  /** Data directories named by `env` values that do not exist yet: the caller creates them, then binds them writable. */
  missing: string[];
}

/**
 * The binds a server needs. Read-only: the Node runtime the gateway runs on, the command's
 * directory, the project owning each existing path among command and args, and the cwd. "The
 * project owning a file" is the directory above its first `node_modules` segment (so a package's
 * own dependencies and hoisted siblings come along), else the nearest ancestor holding
 * `package.json` or `node_modules`, else the file's own directory.
 *
 * Read-write: a directory named as an argument is how servers are told where their data lives
 * (server-filesystem's allowed directories, a git server's repository), so it is bound writable,
 * unless it holds code that runs (the command, a script argument, the Node runtime, the gateway),
 * lies under node_modules or a system tree, or is too broad. Files named as arguments stay
 * read-only. An `env` value that is a path (absolute, or `./`/`../` relative to the cwd, or a
 * relative path that exists) names where the server keeps its data (server-memory's
 * `MEMORY_FILE_PATH`): the directory it names, or for a file its directory, is bound writable under
 * the same rule; one that does not exist yet, below an existing directory that is not too broad,
 * is listed in `missing` for the caller to create (it would otherwise fail with EROFS).
 *
 * With `autoMounts` false (always for inline /rpc servers) only the runtime, the command's
 * directory and the command's own project are bound: never args or the cwd.
 *
 * @example
 * serverPaths({ command: '/usr/bin/node', args: ['/srv/app/dist/main.js', '/data/notes'], env: {}, cwd: '/srv/app' }, '/usr/bin/node');
 * // { readOnly: ['/usr/bin', '/srv/app'], readWrite: ['/data/notes'], refused: [] }
 */
export function serverPaths(spec: SpawnSpec, resolvedCommand: string | undefined, autoMounts = true): ServerPaths {
  const wanted: string[] = [];
  const code: string[] = [GATEWAY_FILE];
  for (const exe of [process.execPath, realpathOrSelf(process.execPath)]) {
    wanted.push(dirname(exe));
    code.push(exe);
  }
  if (resolvedCommand) {
    wanted.push(dirname(resolvedCommand));
    wanted.push(projectRoot(realpathOrSelf(resolvedCommand)));
    code.push(resolvedCommand, realpathOrSelf(resolvedCommand));
  }
  // Without autoMounts the arguments and the cwd are the caller's words, not the operator's: a
  // directory argument would hand over another server's scratch (read-write), a file argument its
  // whole project. Only what the command itself needs to run is bound.
  if (!autoMounts) return partition(wanted, [], []);
  const dirArgs: string[] = [];
  for (const arg of spec.args) {
    if (arg.startsWith('-')) continue; // an option, not a path; `--x=/p` forms need sandbox.mounts
    const full = isAbsolute(arg) ? arg : resolve(spec.cwd, arg);
    if (!existsSync(full)) continue;
    if (isDirectory(full)) {
      dirArgs.push(full);
      continue;
    }
    const real = realpathOrSelf(full);
    code.push(full, real);
    wanted.push(projectRoot(full));
    if (real !== full) wanted.push(projectRoot(real));
  }
  const readWrite: string[] = [];
  for (const dir of dirArgs) {
    if (isDataDirectory(dir, code)) readWrite.push(dir);
    else wanted.push(projectRoot(dir));
  }
  const missing: string[] = [];
  for (const dir of envDataDirs(spec)) {
    if (!isDataDirectory(dir, code)) continue;
    if (existsSync(dir)) readWrite.push(dir);
    else if (isDirectory(dirname(dir)) && !TOO_BROAD.has(dirname(dir)) && isDataDirectory(dirname(dir), [])) missing.push(dir);
  }
  if (existsSync(spec.cwd)) wanted.push(spec.cwd);
  return partition(wanted, readWrite, missing);
}

/** The directories `env` values name as the server's data (see `serverPaths`). */
function envDataDirs(spec: SpawnSpec): string[] {
  const out: string[] = [];
  for (const value of Object.values(spec.env)) {
    // Lists (PATH), URLs and words are not paths; a path with a space is rare enough to need sandbox.mounts.
    if (value === '' || /[\s:;,=]/.test(value)) continue;
    const relative = value.startsWith('./') || value.startsWith('../');
    if (!isAbsolute(value) && !relative && !(value.includes('/') && existsSync(resolve(spec.cwd, value)))) continue;
    const full = resolve(spec.cwd, value);
    out.push(isDirectory(full) ? full : dirname(full));
  }
  return out;
}

/** Splits the wanted binds: too broad ones refused, ones under a read-write directory left to it. */
function partition(wanted: string[], readWrite: string[], missing: string[]): ServerPaths {
  const readOnly: string[] = [];
  const refused: string[] = [];
  for (const path of new Set(wanted)) {
    if (TOO_BROAD.has(path)) refused.push(path);
    else if (!readWrite.some((rw) => isInside(path, rw))) readOnly.push(path);
  }
  return { readOnly, readWrite: [...new Set(readWrite)], refused, missing: [...new Set(missing)] };
}

/** True when `dir` may be handed to the server writable: see `serverPaths`. */
function isDataDirectory(dir: string, code: string[]): boolean {
  const real = realpathOrSelf(dir);
  for (const candidate of new Set([dir, real])) {
    if (TOO_BROAD.has(candidate)) return false;
    if (candidate.split(sep).includes('node_modules')) return false;
    if (SYSTEM_TREES.some((tree) => isInside(candidate, tree))) return false;
    if (code.some((file) => isInside(file, candidate))) return false;
  }
  return true;
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
