import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutletRuntime } from '../../src/outlet/runtime.js';
import { startTestOutlet } from '../helpers/outlet.js';
import { rpc, textOf } from '../rpc/helpers.js';
import { startFakeRegistry, TAMPER_PACKAGE, type FakeRegistry } from './fake-registry.js';

/**
 * The shared package cache against one tenant turned hostile: tenant A's inline server, run from
 * the cache, tries to change its own package, plant a file beside it and pre-create another
 * package's directory; the cache is unchanged on the host and tenant B runs the pristine package.
 */
let outlet: OutletRuntime;
let registry: FakeRegistry;
const root = mkdtempSync(join(tmpdir(), 'outlet-inline-cache-'));
chmodSync(root, 0o755);
const cacheDir = join(root, 'cache');
const installed = join(cacheDir, 'npm', 'tamper-server@1.0.0');
const serverFile = join(installed, 'node_modules', 'tamper-server', 'server.mjs');
const digest = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

beforeAll(async () => {
  registry = await startFakeRegistry();
  outlet = await startTestOutlet({
    packages: { cacheDir, registry: registry.url },
    rpc: { enabled: true, allowCommands: ['npx'], allowPackages: ['tamper-server'] },
    observability: { metrics: { process: false } },
  });
});

afterAll(async () => {
  await outlet?.close();
  await registry?.close();
  rmSync(root, { recursive: true, force: true });
});

const tenant = (env: Record<string, string>) => ({ command: 'npx', args: ['-y', 'tamper-server'], env });

describe('the package cache of inline servers', () => {
  it('cannot be changed by a server running from it', async () => {
    const targets = [serverFile, join(installed, 'node_modules', 'tamper-server', 'planted.mjs'), join(installed, 'planted'), join(cacheDir, 'npm', 'planted'), join(cacheDir, 'npm', 'evil@1.0.0') + '/', join(cacheDir, 'planted')];
    const answer = await rpc(outlet.url, 'tools/call', { name: 'tamper', arguments: { paths: targets }, _meta: { 'outlet/server': tenant({ TENANT: 'a' }) } });
    expect(answer.body.error).toBeUndefined();
    const outcome = JSON.parse(textOf(answer.body.result)) as Record<string, string>;
    expect(Object.keys(outcome)).toEqual(targets);
    // Its own package is bound read-only (and, as root, owned by another uid): no change, no file beside it.
    for (const target of targets.slice(0, 3)) expect(['EROFS', 'EACCES'], target).toContain(outcome[target]);
    // The rest of the cache is not bound at all: what the server wrote there stayed in its own
    // throwaway root, and the host's cache (which tenant B's sandbox binds) has none of it.
    expect(digest(serverFile)).toBe(digest(join(TAMPER_PACKAGE, 'server.mjs')));
    for (const planted of targets.slice(1)) expect(existsSync(planted), planted).toBe(false);
  });

  it('keeps the npm config of the gateway user (registry auth) out of the server\'s view', async () => {
    const npmrc = join(homedir(), '.npmrc');
    const answer = await rpc(outlet.url, 'tools/call', { name: 'peek', arguments: { paths: [npmrc, join(homedir(), '.npm')] }, _meta: { 'outlet/server': tenant({ TENANT: 'a' }) } });
    expect(JSON.parse(textOf(answer.body.result))).toEqual({ [npmrc]: 'ENOENT', [join(homedir(), '.npm')]: 'ENOENT' });
  });

  it('gives tenant B the pristine package', async () => {
    const answer = await rpc(outlet.url, 'tools/call', { name: 'marker', arguments: {}, _meta: { 'outlet/server': tenant({ TENANT: 'b' }) } });
    expect(answer.body.error).toBeUndefined();
    expect(JSON.parse(textOf(answer.body.result))).toMatchObject({ marker: 'pristine', dir: join(installed, 'node_modules', 'tamper-server'), npmEnv: [] });
    const inline = (await rpc(outlet.url, 'outlet/servers')).body.result!.inline as { name: string }[];
    expect(inline).toHaveLength(2);
  });
});
