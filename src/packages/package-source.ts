import type { PackagesConfig } from '../config/packages-schema.js';
import { defaultCacheDir } from './cache-layout.js';
import type { FetchLog, PackageFetcher } from './package-fetcher.js';

/** What starting a server needs of the fetch step: where the cache is, and what to run for a launcher entry. */
export type PackageSource = Pick<PackageFetcher, 'cacheDir' | 'prepare'>;

/**
 * A PackageFetcher loaded at the first launcher entry it prepares. The fetcher brings npm, the
 * installer and their process machinery; an outlet that only reaches URL servers (a Worker, which
 * cannot spawn anything) never loads them.
 */
export function lazyPackageFetcher(config: PackagesConfig, log?: FetchLog): PackageSource {
  let fetcher: Promise<PackageFetcher> | undefined;
  return {
    cacheDir: config.cacheDir ?? defaultCacheDir(),
    prepare: async (...args) => {
      fetcher ??= import('./package-fetcher.js').then((m) => new m.PackageFetcher(config, log));
      return (await fetcher).prepare(...args);
    },
  };
}
