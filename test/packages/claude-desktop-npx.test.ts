import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterAll, describe, expect, it } from 'vitest';
import type { OutletRuntime } from '../../src/outlet/runtime.js';
import type { UpstreamStatus } from '../../src/supervisor/upstream-status.js';
import { connectHttpClient, eventually, startTestOutlet } from '../helpers/outlet.js';
import { closedPort } from './fake-registry.js';

/**
 * A Claude Desktop config of `npx -y` servers as users paste it, against the real npm registry:
 * started from a cold package cache with every server's sandbox on network "none" (only the
 * outlet's own fetch step reaches the registry), then restarted with the registry unreachable
 * (npm pointed at a closed loopback port): the servers start from the cache. The start times are
 * printed for docs/performance.md, not asserted.
 */
const root = mkdtempSync(join(tmpdir(), 'outlet-claude-npx-'));
chmodSync(root, 0o755);
const cacheDir = join(root, 'cache');
const project = join(root, 'project');
const notes = join(root, 'notes');
for (const dir of [project, notes]) mkdirSync(dir, { mode: 0o755 });
const savedRegistry = process.env.npm_config_registry;

const claudeDesktop = {
  mcpServers: {
    memory: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-memory'] },
    filesystem: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem', notes] },
    'sequential-thinking': { command: 'npx', args: ['-y', '@modelcontextprotocol/server-sequential-thinking'] },
    everything: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-everything'] },
  },
};

let outlet: OutletRuntime | undefined;

afterAll(async () => {
  await outlet?.close();
  if (savedRegistry === undefined) delete process.env.npm_config_registry;
  else process.env.npm_config_registry = savedRegistry;
  rmSync(root, { recursive: true, force: true });
});

async function start(extra: Record<string, unknown> = {}): Promise<{ ms: number; upstreams: UpstreamStatus[]; tools: string[] }> {
  const began = performance.now();
  outlet = await startTestOutlet(
    { ...claudeDesktop, ...extra, packages: { cacheDir }, sandbox: { network: 'none' }, observability: { metrics: { process: false } } },
    { baseDir: project },
  );
  const url = outlet.url;
  const status = async (): Promise<UpstreamStatus[]> => ((await (await fetch(`${url}/ready`)).json()) as { upstreams: UpstreamStatus[] }).upstreams;
  // Ready as far as the four pasted servers go (a fifth, failing one is looked at separately).
  await eventually(async () => (await status()).filter((u) => u.name in claudeDesktop.mcpServers && u.state === 'connected').length === 4, 180_000, 100);
  const ms = Math.round(performance.now() - began);
  const upstreams = await status();
  const client = await connectHttpClient(`${outlet.url}/mcp`, '2025-11-25');
  const tools = (await client.listTools()).tools.map((t) => t.name);
  await client.close();
  return { ms, upstreams, tools };
}

const expectAllUp = (upstreams: UpstreamStatus[], tools: string[]): void => {
  for (const name of Object.keys(claudeDesktop.mcpServers)) {
    const up = upstreams.find((u) => u.name === name);
    expect(up, name).toMatchObject({ state: 'connected' });
    expect(up!.tools, name).toBeGreaterThan(0);
    expect(up!.sandbox?.enforced.join('\n'), name).toContain('network (loopback only)');
  }
  for (const tool of ['read_graph', 'list_directory', 'sequentialthinking', 'echo']) expect(tools.some((t) => t.endsWith(tool)), tool).toBe(true);
};

describe('a Claude Desktop config of npx -y servers', () => {
  it('starts from a cold cache with every server on network "none"', async () => {
    const cold = await start();
    expectAllUp(cold.upstreams, cold.tools);
    expect(readdirSync(join(cacheDir, 'npm')).filter((n) => n.startsWith('@modelcontextprotocol+')).length).toBe(4);
    console.log(`cold start of 4 npx servers (fetch + install + connect): ${cold.ms} ms`);
    await outlet!.close();
    outlet = undefined;
  }, 300_000);

  it('starts again from the cache with the registry unreachable, and names the registry for a package it lacks', async () => {
    const port = await closedPort();
    process.env.npm_config_registry = `http://127.0.0.1:${port}/`;
    const missing = { missing: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-not-cached-outlet-test'] } };
    const warm = await start({ mcpServers: { ...claudeDesktop.mcpServers, ...missing } });
    expectAllUp(warm.upstreams, warm.tools);
    const lacking = await eventually(async () => ((await (await fetch(`${outlet!.url}/ready`)).json()) as { upstreams: UpstreamStatus[] }).upstreams.find((u) => u.name === 'missing' && u.lastError), 30_000);
    expect(lacking!.lastError).toContain(`the registry http://127.0.0.1:${port}/ is unreachable (ECONNREFUSED)`);
    console.log(`warm start of 4 npx servers, registry unreachable: ${warm.ms} ms`);
  }, 120_000);
});
