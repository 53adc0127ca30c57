import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { afterAll, describe, expect, it } from 'vitest';
import { OUTLET_BIN, REPO_ROOT, TINY } from '../helpers/servers.js';

// A desktop client lists tools once, right after it connects to `outlet stdio`. That first list
// must wait (bounded) for a server still starting, not answer with what happens to be up. The
// gateway's own list wait is set short (500 ms), so an answer before the slow server is up shows.
const SLOW = fileURLToPath(new URL('./fixtures/slow-start-server.mjs', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'outlet-stdio-first-list-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function config(servers: Record<string, unknown>): string {
  const path = join(dir, `outlet-${Object.keys(servers).join('-')}.json`);
  writeFileSync(path, JSON.stringify({ startup: { listWaitMs: 500 }, servers }));
  return path;
}

async function connect(configPath: string, extra: string[] = []): Promise<{ client: Client; stderr: string[] }> {
  const stderr: string[] = [];
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [OUTLET_BIN, 'stdio', '--config', configPath, ...extra],
    cwd: REPO_ROOT,
    // The default level: progress lines are printed at warn.
    env: { PATH: process.env.PATH ?? '', OUTLET_LOG_LEVEL: 'warn' },
    stderr: 'pipe',
  });
  transport.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
  const client = new Client({ name: 'first-list', version: '1.0.0' }, { versionNegotiation: { mode: 'legacy' } });
  await client.connect(transport);
  return { client, stderr };
}

describe('the first tools/list over outlet stdio', () => {
  it('holds the tools of a server that takes 4 s to start', async () => {
    const { client, stderr } = await connect(
      config({
        slow: { command: process.execPath, args: [SLOW], env: { SLOW_START_MS: '4000', TINY_TOOLS: 'late_tool' } },
        fast: { command: process.execPath, args: [TINY] },
      }),
    );
    try {
      const names = (await client.listTools()).tools.map((t) => t.name);
      expect(names).toEqual(expect.arrayContaining(['slow__late_tool', 'fast__ping_back']));
      expect(stderr.join('')).toMatch(/outlet: waiting for 1 server to start .*slow \(connecting\)/);
    } finally {
      await client.close();
    }
  }, 60_000);

  it('is answered when the bound runs out, and stderr names the server that did not come up', async () => {
    const { client, stderr } = await connect(
      config({
        glacial: { command: process.execPath, args: [SLOW], env: { SLOW_START_MS: '60000' } },
        fast: { command: process.execPath, args: [TINY] },
      }),
      ['--wait-ms', '4000'],
    );
    try {
      // Sent first, answered last: only the list is held; a ping sent after it is answered while it waits.
      const order: string[] = [];
      const listed = client.listTools().then((r) => (order.push('list'), r));
      await client.ping().then(() => order.push('ping'));
      const names = (await listed).tools.map((t) => t.name);
      expect(order).toEqual(['ping', 'list']);
      expect(names).toEqual(['fast__ping_back']);
      expect(stderr.join('')).toContain('outlet: server "glacial" did not come up within 4000 ms (still connecting');
    } finally {
      await client.close();
    }
  }, 60_000);
});
