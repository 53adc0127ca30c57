import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/index.js';
import { packagesSchema } from '../../src/config/packages-schema.js';
import { launchConfig } from '../../src/packages/launch-config.js';
import { PackageFetcher } from '../../src/packages/package-fetcher.js';
import { startFakeRegistry, type FakeRegistry } from './fake-registry.js';

/** A root gateway's servers drop to the sandbox uid: a cache that uid cannot reach is named, with the fix. */
let registry: FakeRegistry;
// mkdtemp makes the directory 0700, like a home directory: uid 65534 cannot pass through it.
const closed = mkdtempSync(join(tmpdir(), 'outlet-closed-cache-'));

beforeAll(async () => {
  registry = await startFakeRegistry();
});

afterAll(async () => {
  await registry?.close();
  rmSync(closed, { recursive: true, force: true });
});

describe('the launch config of a launcher entry', () => {
  const server = parseConfig({ servers: { s: { command: 'npx', args: ['-y', 'tamper-server', 'a'], sandbox: { backend: 'bubblewrap' } } } }, { baseDir: '/' }).servers.s!;
  if (server.transport !== 'stdio') throw new Error('a stdio entry');
  const fetcher = new PackageFetcher(packagesSchema.parse({ cacheDir: join(closed, 'cache'), registry: undefined }));

  it('runs the installed binary and names the directory to bind read-only', async () => {
    const withRegistry = new PackageFetcher(packagesSchema.parse({ cacheDir: join(closed, 'cache'), registry: registry.url }));
    const run = await launchConfig(server, withRegistry, {}, false);
    expect(run.packageDir).toBe(join(closed, 'cache', 'npm', 'tamper-server@1.0.0'));
    expect(run.config).toMatchObject({ command: process.execPath, args: [join(run.packageDir!, 'node_modules', 'tamper-server', 'server.mjs'), 'a'] });
  });

  it('as root, refuses a cache the sandbox uid cannot reach, naming the directory that blocks', async () => {
    // Installed by the test above; this start needs no registry.
    await expect(launchConfig(server, fetcher, {}, true)).rejects.toThrow(`(${closed} does not let it through); set packages.cacheDir to a directory that uid can traverse`);
  });
});
