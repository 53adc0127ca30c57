import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { isAlive } from '../sandbox/cgroup-group.js';
import { runNpm, type NpmOptions } from './npm-client.js';

/** Present in an install directory only once everything in it is in place. */
export const COMPLETE_MARKER = '.outlet-installed.json';

export interface InstallOutcome {
  /** Packages in the tree whose install scripts were skipped (`packages.allowScripts` false). */
  refusedScripts: string[];
}

/**
 * Installs `specs` (exact `name@version` each) into `dir`, which must not exist yet. npm works in a
 * private temporary directory beside it that is renamed into place when done: another gateway on
 * the same cache sees the whole install or nothing, and if it won the race its copy is kept.
 * Install scripts are skipped unless allowed: with them npm would run package code on the host,
 * outside every sandbox.
 */
export async function installPackages(dir: string, specs: string[], options: NpmOptions & { allowScripts: boolean }): Promise<InstallOutcome> {
  mkdirSync(dirname(dir), { recursive: true, mode: 0o755 });
  removeAbandoned(dirname(dir));
  const tmp = join(dirname(dir), `.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
  mkdirSync(tmp, { mode: 0o755 });
  try {
    const flags = ['--no-audit', '--no-fund', '--omit=dev', '--install-strategy=hoisted', ...(options.allowScripts ? [] : ['--ignore-scripts'])];
    await runNpm(['install', '--prefix', tmp, ...flags, ...specs], options);
    const refusedScripts = options.allowScripts ? [] : packagesWithScripts(tmp);
    writeFileSync(join(tmp, COMPLETE_MARKER), JSON.stringify({ specs, installedAt: new Date().toISOString(), refusedScripts }));
    try {
      renameSync(tmp, dir);
    } catch (err) {
      // Another gateway finished the same install first: its copy is as good as ours.
      if (!existsSync(join(dir, COMPLETE_MARKER))) throw err;
    }
    return { refusedScripts };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** npm records in the lockfile which packages declare install scripts. */
function packagesWithScripts(dir: string): string[] {
  try {
    const lock = JSON.parse(readFileSync(join(dir, 'package-lock.json'), 'utf8')) as { packages?: Record<string, { hasInstallScript?: boolean }> };
    return Object.entries(lock.packages ?? {})
      .filter(([, p]) => p.hasInstallScript)
      .map(([path]) => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length));
  } catch {
    return [];
  }
}

/** Temporary install directories of gateways that died mid-install (their pid is gone): nothing else would remove them. */
function removeAbandoned(parent: string): void {
  for (const name of readdirSync(parent)) {
    const pid = /^\.tmp-(\d+)-/.exec(name)?.[1];
    if (pid === undefined || Number(pid) === process.pid || isAlive(Number(pid))) continue;
    rmSync(join(parent, name), { recursive: true, force: true });
  }
}
