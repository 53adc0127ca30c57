import { homedir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/index.js';
import { defaultCacheDir } from '../../src/packages/cache-layout.js';
import { parseLauncherEntry } from '../../src/packages/launcher-entry.js';
import { parseRegistrySpec } from '../../src/packages/registry-spec.js';

describe('launcher entries', () => {
  it('reads npx, bunx and pnpm dlx the way each launcher does', () => {
    expect(parseLauncherEntry('npx', ['-y', '@modelcontextprotocol/server-filesystem', '/data', '--', 'x'])).toEqual({ launcher: 'npx', ecosystem: 'npm', specs: ['@modelcontextprotocol/server-filesystem'], args: ['/data', '--', 'x'] });
    expect(parseLauncherEntry('/usr/local/bin/npx', ['--yes', '--package=@scope/pkg@1.2.3', 'pkg-bin', '--port', '1'])).toEqual({ launcher: 'npx', ecosystem: 'npm', specs: ['@scope/pkg@1.2.3'], bin: 'pkg-bin', args: ['--port', '1'] });
    expect(parseLauncherEntry('bunx', ['--bun', 'mcp-pkg@latest'])).toMatchObject({ launcher: 'bunx', specs: ['mcp-pkg@latest'], args: [] });
    expect(parseLauncherEntry('pnpm', ['dlx', '--package', 'a', '--package', 'b', 'a-bin'])).toMatchObject({ launcher: 'pnpm dlx', specs: ['a', 'b'], bin: 'a-bin' });
    expect(parseLauncherEntry('pnpm', ['install'])).toBeUndefined();
    expect(parseLauncherEntry('node', ['npx'])).toBeUndefined();
  });

  it('refuses what it cannot fetch, saying why', () => {
    expect(() => parseLauncherEntry('npx', ['-y'])).toThrow('npx names no package to run');
    expect(() => parseLauncherEntry('npx', ['--registry', 'http://evil', 'pkg'])).toThrow('npx option "--registry" is not supported');
    expect(() => parseLauncherEntry('pipx', ['run', 'mcp-server-time'])).toThrow('"pipx run" entries are not fetched by the outlet yet');
    expect(() => parseRegistrySpec('pkg@npm:other@1')).toThrow('is not a registry package spec');
    expect(() => parseRegistrySpec('https://example.com/x.tgz')).toThrow('is not a registry package spec');
    expect(parseRegistrySpec('@a/b@^1.2')).toEqual({ name: '@a/b', wanted: '^1.2', exact: false });
    expect(parseRegistrySpec('left-pad@1.3.0')).toEqual({ name: 'left-pad', wanted: '1.3.0', exact: true });
  });
});

describe('the packages config section', () => {
  it('defaults the cache to the user cache directory and resolves a relative one against the config file', () => {
    expect(defaultCacheDir({ XDG_CACHE_HOME: '/var/cache/me' })).toBe('/var/cache/me/mcp-outlet/packages');
    expect(defaultCacheDir({}, false)).toBe(join(homedir(), '.cache', 'mcp-outlet', 'packages'));
    // Root's home is closed to the sandbox uid: the system cache directory instead.
    expect(defaultCacheDir({}, true)).toBe('/var/cache/mcp-outlet/packages');
    expect(parseConfig({ packages: { cacheDir: 'pkgs' } }, { baseDir: '/cfg' }).packages).toEqual({ cacheDir: '/cfg/pkgs', installTimeoutMs: 300_000, allowScripts: false, refreshAfterMs: 86_400_000 });
    expect(() => parseConfig({ packages: { registry: 'not a url' } }, { baseDir: '/cfg' })).toThrow('packages.registry');
  });
});
