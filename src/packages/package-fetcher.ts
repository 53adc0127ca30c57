import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { PackagesConfig } from '../config/packages-schema.js';
import { OutletError } from '../errors/index.js';
import { defaultCacheDir, installDir, resolvedFile } from './cache-layout.js';
import { describeFetchError, isUnreachable } from './fetch-errors.js';
import { COMPLETE_MARKER, installPackages } from './install-packages.js';
import { parseLauncherEntry } from './launcher-entry.js';
import { effectiveRegistry, runNpm, type NpmOptions } from './npm-client.js';
import { binLaunch } from './package-bin.js';
import { isExactVersion, parseRegistrySpec, type RegistrySpec } from './registry-spec.js';
import { recall, remember } from './resolved-versions.js';

export type FetchLog = (level: 'info' | 'warn' | 'error', msg: string, data?: Record<string, unknown>) => void;

/** A launcher entry made runnable: the command to start instead, and the directory it runs from (read-only). */
export interface PreparedLaunch {
  command: string;
  args: string[];
  packageDir: string;
  /** `name@version` of each package installed there. */
  packages: string[];
}

export interface PrepareHooks {
  /** Called when the start has to wait for the registry or an install (not for a warm cache). */
  onInstalling?: () => void;
}

/**
 * The outlet's own fetch step for launcher entries (`npx -y pkg`, `bunx`, `pnpm dlx`): it resolves
 * the package, installs it once into the shared cache, outside every sandbox, and says what to
 * start instead. Servers never fetch: their sandbox keeps its own network policy and sees the
 * package read-only, so no server can change what another runs.
 *
 * Refresh policy: an exact version is installed once and never looked up again; a tag or range
 * is resolved against the registry and the answer reused for `refreshAfterMs`; after that the
 * next start asks again, and keeps the remembered version when the registry is out of reach.
 * A warm cache therefore starts with no network at all.
 */
export class PackageFetcher {
  readonly cacheDir: string;
  /** One install per directory at a time in this process: every server needing it awaits the same one. */
  private readonly inflight = new Map<string, Promise<void>>();
  private registry?: Promise<string>;

  constructor(
    private readonly config: PackagesConfig,
    private readonly log: FetchLog = () => undefined,
  ) {
    this.cacheDir = config.cacheDir ?? defaultCacheDir();
  }

  /** What to run for `command args`, or undefined when it is no launcher; rejects with UPSTREAM_UNAVAILABLE saying what failed. */
  async prepare(server: string, command: string, args: readonly string[], hooks: PrepareHooks = {}): Promise<PreparedLaunch | undefined> {
    let entry;
    try {
      entry = parseLauncherEntry(command, args);
    } catch (err) {
      throw new OutletError('UPSTREAM_UNAVAILABLE', `server "${server}": ${(err as Error).message}`, { server });
    }
    if (!entry) return undefined;
    let specs: RegistrySpec[];
    try {
      specs = entry.specs.map(parseRegistrySpec);
    } catch (err) {
      throw new OutletError('UPSTREAM_UNAVAILABLE', `server "${server}": ${(err as Error).message}`, { server });
    }
    const packages = await Promise.all(specs.map((spec) => this.resolve(server, spec, hooks)));
    const dir = installDir(this.cacheDir, packages);
    if (!existsSync(`${dir}/${COMPLETE_MARKER}`)) await this.install(server, dir, packages, hooks);
    try {
      return { ...binLaunch(dir, specs[0]!.name, entry.bin, entry.args), packageDir: dir, packages };
    } catch (err) {
      throw new OutletError('UPSTREAM_UNAVAILABLE', `server "${server}": ${(err as Error).message} (in ${dir})`, { server });
    }
  }

  private npmOptions(): NpmOptions {
    return { timeoutMs: this.config.installTimeoutMs, ...(this.config.registry ? { registry: this.config.registry } : {}) };
  }

  private registryAddress(): Promise<string> {
    return (this.registry ??= effectiveRegistry(this.npmOptions()));
  }

  /** `name@version`: exact as written, else remembered while fresh, else asked of the registry. */
  private async resolve(server: string, spec: RegistrySpec, hooks: PrepareHooks): Promise<string> {
    if (spec.exact) return `${spec.name}@${spec.wanted.replace(/^v/, '')}`;
    const file = resolvedFile(this.cacheDir, spec.name, spec.wanted);
    const known = recall(file);
    if (known && Date.now() - known.resolvedAt < this.config.refreshAfterMs) return `${spec.name}@${known.version}`;
    hooks.onInstalling?.();
    const registry = await this.registryAddress();
    const written = `${spec.name}@${spec.wanted}`;
    try {
      const { json } = await runNpm(['view', written, 'version'], this.npmOptions());
      // A range several releases match answers with all of them, oldest first.
      const version = Array.isArray(json) ? json[json.length - 1] : json;
      // The answer names a directory of the cache: anything but a plain version (a path) is refused.
      if (typeof version !== 'string' || !isExactVersion(version)) throw new Error(`the registry ${registry} listed no usable version of "${written}"`);
      remember(file, version);
      return `${spec.name}@${version}`;
    } catch (err) {
      if (known && isUnreachable(err)) {
        this.log('warn', `the registry ${registry} is unreachable; server "${server}" keeps ${spec.name}@${known.version}, resolved ${new Date(known.resolvedAt).toISOString()}`, { server, package: written });
        return `${spec.name}@${known.version}`;
      }
      throw new OutletError('UPSTREAM_UNAVAILABLE', `server "${server}": ${describeFetchError(err, written, registry)}`, { server, package: written }, { cause: err });
    }
  }

  private async install(server: string, dir: string, packages: string[], hooks: PrepareHooks): Promise<void> {
    hooks.onInstalling?.();
    let running = this.inflight.get(dir);
    if (!running) {
      running = this.runInstall(server, dir, packages).finally(() => this.inflight.delete(dir));
      this.inflight.set(dir, running);
    } else {
      this.log('info', `server "${server}" waits for the install of ${packages.join(', ')} already under way`, { server });
    }
    try {
      await running;
    } catch (err) {
      // Every server that waited on this install reports the failure as its own.
      throw new OutletError('UPSTREAM_UNAVAILABLE', `server "${server}": ${(err as Error).message}`, { server, packages }, { cause: err });
    }
  }

  private async runInstall(server: string, dir: string, packages: string[]): Promise<void> {
    const registry = await this.registryAddress();
    const began = performance.now();
    this.log('info', `installing ${packages.join(', ')} for server "${server}" from ${registry} into ${dir}`, { server, packages });
    let outcome;
    // A long install says it is still going, so a quiet log is not mistaken for a hang.
    const progress = setInterval(() => this.log('info', `still installing ${packages.join(', ')} (${Math.round((performance.now() - began) / 1000)} s)`, { server, packages }), 15_000);
    progress.unref();
    try {
      outcome = await installPackages(dir, packages, { ...this.npmOptions(), allowScripts: this.config.allowScripts });
    } catch (err) {
      const text = describeFetchError(err, packages.join(', '), registry);
      this.log('error', `install failed: ${text}`, { server, packages });
      throw new Error(text, { cause: err });
    } finally {
      clearInterval(progress);
    }
    this.log('info', `installed ${packages.join(', ')} in ${Math.round(performance.now() - began)} ms`, { server, packages, dir });
    if (outcome.refusedScripts.length > 0) {
      this.log('warn', `install scripts refused for ${outcome.refusedScripts.join(', ')} (packages.allowScripts is false); a server that needs their build step will fail to start`, { server, packages });
    }
  }
}
