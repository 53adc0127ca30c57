// What schema compaction saves on the npm MCP servers installed as dependencies: each server's
// tools/list (JSON bytes and o200k tokens) before and after compactToolSchemas.
// Run: npx tsx bench/code-mode/compaction.ts
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import type { Tool } from '@modelcontextprotocol/server';
import { compactToolSchemas } from '../../src/catalog/code-mode/schema-compaction.js';
import { toolsListTokens } from '../../src/shared/token-count.js';

const SERVERS: Array<[pkg: string, args: (scratch: string) => string[]]> = [
  ['@modelcontextprotocol/server-filesystem', (scratch) => [scratch]],
  ['@modelcontextprotocol/server-memory', () => []],
  ['@modelcontextprotocol/server-everything', () => ['stdio']],
];

async function listTools(pkg: string, args: string[], scratch: string): Promise<Tool[]> {
  const entry = join(dirname(createRequire(import.meta.url).resolve(`${pkg}/package.json`)), 'dist/index.js');
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [entry, ...args],
    env: { PATH: process.env.PATH ?? '', MEMORY_FILE_PATH: join(scratch, 'memory.jsonl') },
    stderr: 'pipe',
  });
  const client = new Client({ name: 'compaction-bench', version: '1.0.0' }, { versionNegotiation: { mode: 'legacy' } });
  await client.connect(transport);
  try {
    return (await client.listTools()).tools;
  } finally {
    await client.close();
  }
}

const pct = (before: number, after: number) => `${(((before - after) / before) * 100).toFixed(1)}%`;
const scratch = mkdtempSync(join(tmpdir(), 'compaction-bench-'));
const totals = { bytes: [0, 0], tokens: [0, 0], schemaBytes: [0, 0] };
try {
  console.log('server                 tools  bytes before -> after (saved)   o200k before -> after (saved)   schema bytes saved');
  for (const [pkg, args] of SERVERS) {
    const tools = await listTools(pkg, args(scratch), scratch);
    const compacted = tools.map(compactToolSchemas);
    const bytes = [JSON.stringify({ tools }).length, JSON.stringify({ tools: compacted }).length] as const;
    const tokens = [await toolsListTokens(tools), await toolsListTokens(compacted)] as const;
    const schemas = (list: Tool[]) => JSON.stringify(list.map((t) => [t.inputSchema, t.outputSchema])).length;
    const schemaBytes = [schemas(tools), schemas(compacted)] as const;
    for (const [key, pair] of [['bytes', bytes], ['tokens', tokens], ['schemaBytes', schemaBytes]] as const) {
      totals[key][0]! += pair[0];
      totals[key][1]! += pair[1];
    }
    const name = pkg.replace('@modelcontextprotocol/', '');
    console.log(
      `${name.padEnd(22)} ${String(tools.length).padStart(5)}  ${bytes[0]} -> ${bytes[1]} (${pct(...bytes)})`.padEnd(62) +
        `${tokens[0]} -> ${tokens[1]} (${pct(...tokens)})`.padEnd(32) +
        `${schemaBytes[0]} -> ${schemaBytes[1]} (${pct(...schemaBytes)})`,
    );
  }
  const [b0, b1] = totals.bytes as [number, number];
  const [t0, t1] = totals.tokens as [number, number];
  console.log(`${'all three'.padEnd(29)}${b0} -> ${b1} (${pct(b0, b1)})`.padEnd(62) + `${t0} -> ${t1} (${pct(t0, t1)})`);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
