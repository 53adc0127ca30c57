import { chownSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVERYTHING, FILESYSTEM, MEMORY, OUTLET_BIN, REPO_ROOT } from '../helpers/servers.js';

// `outlet stdio` as a desktop client launches it: the whole catalog as one stdio MCP server.
let configPath: string;
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'outlet-stdio-'));
  writeFileSync(join(dir, 'note.txt'), 'a note for the filesystem server');
  // As root, sandboxed servers run as uid 65534: the directory must be theirs to use.
  if (process.getuid?.() === 0) chownSync(dir, 65534, 65534);
  configPath = join(dir, 'outlet.config.json');
  writeFileSync(
    configPath,
    JSON.stringify({
      mcpServers: {
        everything: { command: process.execPath, args: [EVERYTHING, 'stdio'] },
        memory: { command: process.execPath, args: [MEMORY], env: { MEMORY_FILE_PATH: join(dir, 'memory.jsonl') }, sandbox: { mounts: [{ path: dir, mode: 'rw' }] } },
        fs: { command: process.execPath, args: [FILESYSTEM, dir] },
      },
    }),
  );
});

describe.each([
  ['2025-11-25', { mode: 'legacy' as const }],
  ['2026-07-28', { mode: { pin: '2026-07-28' } }],
])('outlet stdio with a %s client', (era, versionNegotiation) => {
  let client: Client;
  beforeAll(async () => {
    client = new Client({ name: 'stdio-test', version: '1.0.0' }, { versionNegotiation });
    await client.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: [OUTLET_BIN, 'stdio', '--config', configPath],
        cwd: REPO_ROOT,
        env: { PATH: process.env.PATH ?? '', OUTLET_LOG_LEVEL: 'silent' },
        stderr: 'pipe',
      }),
    );
  }, 60_000);
  afterAll(async () => {
    await client?.close();
  });

  it('negotiates its era', () => {
    expect(client.getNegotiatedProtocolVersion()).toBe(era);
  });

  it('lists, calls, reads and gets through the aggregated catalog', async () => {
    const names = (await client.listTools()).tools.map((t) => t.name);
    expect(names).toContain('everything__echo');
    expect(names).toContain('memory__read_graph');
    const echo = await client.callTool({ name: 'everything__echo', arguments: { message: 'via stdio' } });
    expect(echo.content).toEqual([{ type: 'text', text: 'Echo: via stdio' }]);
    const graph = await client.callTool({ name: 'memory__read_graph', arguments: {} });
    expect(graph.isError).toBeFalsy();
    const note = await client.callTool({ name: 'fs__read_text_file', arguments: { path: join(dir, 'note.txt') } });
    expect(JSON.stringify(note.content)).toContain('a note for the filesystem server');
    const { resources } = await client.listResources();
    const read = await client.readResource({ uri: resources[0]!.uri });
    expect(read.contents.length).toBeGreaterThan(0);
    const { prompts } = await client.listPrompts();
    const simple = prompts.find((p) => !(p.arguments ?? []).some((a) => a.required))!;
    const got = await client.getPrompt({ name: simple.name, arguments: {} });
    expect(got.messages.length).toBeGreaterThan(0);
  });
});
