import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutletRuntime } from '../../src/gateway/runtime.js';
import { startTestOutlet } from '../helpers/outlet.js';
import { rpc } from './helpers.js';

/**
 * Inline npx servers share one package cache. The first instance fetches the real
 * `@modelcontextprotocol/server-memory` from the npm registry (the operator gave inline servers
 * the host network); a second gateway on the same cache, whose operator gives inline servers no
 * network at all and tells npm to stay offline, can start it only from what the first one left.
 * Both start in their own empty scratch (npx run from the checkout would find the package in its
 * node_modules).
 */
let online: OutletRuntime;
let offline: OutletRuntime;
const cacheDir = mkdtempSync(join(tmpdir(), 'outlet-pkg-cache-'));
const PACKAGE = '@modelcontextprotocol/server-memory';
const rules = { enabled: true, allowCommands: ['npx'], allowPackages: ['@modelcontextprotocol/*'], packageCacheDir: cacheDir };

beforeAll(async () => {
  const observability = { metrics: { process: false } };
  online = await startTestOutlet({ rpc: { ...rules, sandbox: { network: 'host' } }, observability });
  // A gateway variable the operator passes through: a caller may not set npm_config_* itself.
  process.env.npm_config_offline = 'true';
  offline = await startTestOutlet({ rpc: { ...rules, sandbox: { env: ['npm_config_offline'] } }, observability });
});

afterAll(async () => {
  delete process.env.npm_config_offline;
  await Promise.all([online?.close(), offline?.close()]);
  rmSync(cacheDir, { recursive: true, force: true });
});

const toolNames = (result: Record<string, unknown> | undefined) => ((result?.tools as { name: string }[] | undefined) ?? []).map((t) => t.name);

describe('the shared package cache of inline npx servers', () => {
  it('is filled by the first instance, which fetches the package', async () => {
    const first = await rpc(online.url, 'tools/list', { _meta: { 'outlet/server': { command: 'npx', args: ['-y', PACKAGE] } } });
    expect(first.body.error).toBeUndefined();
    expect(toolNames(first.body.result)).toContain('read_graph');
    expect(existsSync(join(cacheDir, 'npm', '_cacache'))).toBe(true);
  });

  it('lets a second, offline instance without network start from it', async () => {
    const second = await rpc(offline.url, 'tools/list', { _meta: { 'outlet/server': { command: 'npx', args: ['-y', PACKAGE] } } });
    expect(second.body.error).toBeUndefined();
    expect(toolNames(second.body.result)).toContain('read_graph');
    const inline = (await rpc(offline.url, 'outlet/servers')).body.result!.inline as { name: string }[];
    expect(inline).toHaveLength(1);
  });
});
