import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutletRuntime } from '../../src/gateway/runtime.js';
import { startTestOutlet } from '../helpers/outlet.js';
import { rpc } from './helpers.js';

/**
 * Inline npx servers share one package cache. The first instance fetches the real
 * `@modelcontextprotocol/server-memory` from the npm registry (its sandbox given the host
 * network); a second instance, a different config so a different process, runs with no network
 * at all and npm told to stay offline: it can start only from what the first one left in the
 * shared cache.
 */
let outlet: OutletRuntime;
const cacheDir = mkdtempSync(join(tmpdir(), 'outlet-pkg-cache-'));
// An empty working directory: npx run from the checkout would find the package in its node_modules.
const emptyDir = mkdtempSync(join(tmpdir(), 'outlet-pkg-cwd-'));
const PACKAGE = '@modelcontextprotocol/server-memory';

beforeAll(async () => {
  outlet = await startTestOutlet({
    rpc: { enabled: true, allowCommands: ['npx'], allowPackages: ['@modelcontextprotocol/*'], packageCacheDir: cacheDir },
    observability: { metrics: { process: false } },
  });
});

afterAll(async () => {
  await outlet?.close();
  rmSync(cacheDir, { recursive: true, force: true });
  rmSync(emptyDir, { recursive: true, force: true });
});

const toolNames = (result: Record<string, unknown> | undefined) => ((result?.tools as { name: string }[] | undefined) ?? []).map((t) => t.name);

describe('the shared package cache of inline npx servers', () => {
  it('is filled by the first instance, which fetches the package', async () => {
    const online = await rpc(outlet.url, 'tools/list', { _meta: { 'outlet/server': { command: 'npx', args: ['-y', PACKAGE], cwd: emptyDir, sandbox: { network: 'host' } } } });
    expect(online.body.error).toBeUndefined();
    expect(toolNames(online.body.result)).toContain('read_graph');
    expect(existsSync(join(cacheDir, 'npm', '_cacache'))).toBe(true);
  });

  it('lets a second, offline instance without network start from it', async () => {
    const offline = await rpc(outlet.url, 'tools/list', { _meta: { 'outlet/server': { command: 'npx', args: ['-y', PACKAGE], cwd: emptyDir, env: { npm_config_offline: 'true' } } } });
    expect(offline.body.error).toBeUndefined();
    expect(toolNames(offline.body.result)).toContain('read_graph');
    const inline = (await rpc(outlet.url, 'outlet/servers')).body.result!.inline as { name: string }[];
    expect(inline).toHaveLength(2);
  });
});
