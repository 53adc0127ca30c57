import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packagesSchema } from '../../src/config/packages-schema.js';
import { PackageFetcher, type FetchLog } from '../../src/packages/package-fetcher.js';
import { closedPort, SCRIPTED_PACKAGE, startFakeRegistry, TAMPER_PACKAGE, type FakeRegistry } from './fake-registry.js';

/**
 * The fetch step against a registry on loopback: it installs a launcher's package once into the
 * cache, starts it from there, starts it again with the registry gone, and says what failed.
 */
let registry: FakeRegistry;
const roots: string[] = [];

beforeAll(async () => {
  registry = await startFakeRegistry([TAMPER_PACKAGE, SCRIPTED_PACKAGE]);
});

afterAll(async () => {
  await registry?.close();
  for (const dir of roots) rmSync(dir, { recursive: true, force: true });
});

function freshCache(): string {
  const dir = mkdtempSync(join(tmpdir(), 'outlet-pkg-fetch-'));
  // mkdtemp makes 0700; the sandbox uid of a root gateway must be able to pass through.
  chmodSync(dir, 0o755);
  roots.push(dir);
  return join(dir, 'cache');
}

function fetcher(cacheDir: string, extra: Record<string, unknown> = {}, lines: string[] = []): PackageFetcher {
  const log: FetchLog = (level, msg) => lines.push(`${level}: ${msg}`);
  return new PackageFetcher(packagesSchema.parse({ cacheDir, registry: registry.url, installTimeoutMs: 60_000, ...extra }), log);
}

describe('the fetch step', () => {
  it('installs a launcher package once for concurrent starts and runs its binary with this Node', async () => {
    const cacheDir = freshCache();
    const lines: string[] = [];
    const f = fetcher(cacheDir, {}, lines);
    const [a, b] = await Promise.all([f.prepare('a', 'npx', ['-y', 'tamper-server', '--flag', 'x']), f.prepare('b', '/usr/bin/npx', ['--yes', 'tamper-server'])]);
    expect(a?.command).toBe(process.execPath);
    expect(a?.args).toEqual([join(cacheDir, 'npm', 'tamper-server@1.0.0', 'node_modules', 'tamper-server', 'server.mjs'), '--flag', 'x']);
    expect(b?.packageDir).toBe(a?.packageDir);
    expect(a?.packages).toEqual(['tamper-server@1.0.0']);
    expect(lines.filter((l) => l.startsWith('info: installing tamper-server@1.0.0'))).toHaveLength(1);
    expect(lines.some((l) => l.includes('waits for the install of tamper-server@1.0.0'))).toBe(true);
    expect(readFileSync(a!.args[0]!, 'utf8')).toBe(readFileSync(join(TAMPER_PACKAGE, 'server.mjs'), 'utf8'));
    // Nothing half-done is left beside the install.
    expect(readdirSync(join(cacheDir, 'npm')).filter((n) => n.startsWith('.tmp-'))).toEqual([]);
  });

  it('removes what a gateway that died mid-install left behind', async () => {
    const cacheDir = freshCache();
    // No process has a pid above the kernel's maximum (4194304).
    const abandoned = join(cacheDir, 'npm', '.tmp-4194399-dead');
    mkdirSync(join(abandoned, 'node_modules'), { recursive: true });
    await fetcher(cacheDir).prepare('a', 'npx', ['-y', 'tamper-server']);
    expect(existsSync(abandoned)).toBe(false);
  });

  it('starts from a warm cache with the registry unreachable, asking it nothing', async () => {
    const cacheDir = freshCache();
    await fetcher(cacheDir).prepare('a', 'npx', ['-y', 'tamper-server']);
    const before = registry.hits.get('/tamper-server');
    const offline = new PackageFetcher(packagesSchema.parse({ cacheDir, registry: `http://127.0.0.1:${await closedPort()}/` }));
    const launch = await offline.prepare('a', 'npx', ['-y', 'tamper-server']);
    expect(launch?.packages).toEqual(['tamper-server@1.0.0']);
    expect(registry.hits.get('/tamper-server')).toBe(before);
  });

  it('keeps a remembered version past refreshAfterMs when the registry cannot be reached, and says so', async () => {
    const cacheDir = freshCache();
    await fetcher(cacheDir).prepare('a', 'npx', ['-y', 'tamper-server@latest']);
    const lines: string[] = [];
    const port = await closedPort();
    const stale = new PackageFetcher(packagesSchema.parse({ cacheDir, registry: `http://127.0.0.1:${port}/`, refreshAfterMs: 0 }), (level, msg) => lines.push(`${level}: ${msg}`));
    const launch = await stale.prepare('a', 'npx', ['-y', 'tamper-server@latest']);
    expect(launch?.packages).toEqual(['tamper-server@1.0.0']);
    expect(lines.join('\n')).toContain(`warn: the registry http://127.0.0.1:${port}/ is unreachable; server "a" keeps tamper-server@1.0.0`);
  });

  it('names a package the registry does not have', async () => {
    const f = fetcher(freshCache());
    await expect(f.prepare('ghost', 'npx', ['-y', 'no-such-package-outlet-test'])).rejects.toThrow(
      `server "ghost": package "no-such-package-outlet-test@latest" was not found in the registry ${registry.url}`,
    );
  });

  it('names the registry address it could not reach', async () => {
    const port = await closedPort();
    const f = new PackageFetcher(packagesSchema.parse({ cacheDir: freshCache(), registry: `http://127.0.0.1:${port}/` }));
    await expect(f.prepare('off', 'npx', ['-y', 'tamper-server'])).rejects.toThrow(`server "off": the registry http://127.0.0.1:${port}/ is unreachable (ECONNREFUSED)`);
  });

  it('installs nothing for a spec that is not a registry spec, or for a Python launcher', async () => {
    const cacheDir = freshCache();
    const f = fetcher(cacheDir);
    await expect(f.prepare('s', 'npx', ['-y', 'tamper-server@file:/tmp/evil.tgz'])).rejects.toThrow('"tamper-server@file:/tmp/evil.tgz" is not a registry package spec');
    await expect(f.prepare('s', 'npx', ['-y', 'github:someone/thing'])).rejects.toThrow('is not a registry package spec');
    await expect(f.prepare('s', 'uvx', ['mcp-server-time'])).rejects.toThrow('"uvx" entries are not fetched by the outlet yet');
    await expect(f.prepare('s', 'npx', ['-c', 'sh -c id'])).rejects.toThrow('npx option "-c" is not supported');
    expect(existsSync(cacheDir)).toBe(false);
  });

  it('skips install scripts and names the packages that wanted one, unless allowed', async () => {
    const lines: string[] = [];
    const refused = await fetcher(freshCache(), {}, lines).prepare('s', 'npx', ['-y', 'scripted-server@2.0.0']);
    expect(existsSync(join(refused!.packageDir, 'node_modules', 'scripted-server', 'built.txt'))).toBe(false);
    expect(lines).toContain('warn: install scripts refused for scripted-server (packages.allowScripts is false); a server that needs their build step will fail to start');
    const allowed = await fetcher(freshCache(), { allowScripts: true }).prepare('s', 'npx', ['-y', 'scripted-server@2.0.0']);
    expect(readFileSync(join(allowed!.packageDir, 'node_modules', 'scripted-server', 'built.txt'), 'utf8')).toBe('built');
  });

  it('leaves commands that are no launcher as written', async () => {
    expect(await fetcher(freshCache()).prepare('n', process.execPath, ['server.mjs'])).toBeUndefined();
  });
});
