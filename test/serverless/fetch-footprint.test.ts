import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readImportGraph, type ImportGraph } from '../helpers/layers.js';

// What `mcp-outlet/fetch` (Workers, Deno, Bun) loads: the files of src/ reached by value imports
// at module load, from src/serverless/fetch.ts. Dynamic `import()`s are left out: they load only
// when their code runs (the package fetcher, for a launcher entry; the process machinery, for a
// command server: a Worker starts neither).
// The bound keeps the entry from growing back silently; lower it when a cut lands.
// 195: code mode's gate and its config schema load with the gateway (the rest of code mode loads on first use).
// +15: a config may name built-in servers: their expansion, the spec type, the registry and the config
// side of each of the eleven built-ins (its options and cage; their servers load only in their own process).
const FETCH_ENTRY_MAX_FILES = 210;

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** The files of src/ and the packages `entry` loads at module load (static value imports, followed). */
function loadedBy(graph: ImportGraph, entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set([entry]);
  const packages = new Set<string>();
  const queue = [entry];
  while (queue.length > 0) {
    for (const edge of graph.get(queue.shift()!) ?? []) {
      if (edge.typeOnly || edge.dynamic) continue;
      if (!edge.target) packages.add(edge.specifier);
      else if (!files.has(edge.target)) {
        files.add(edge.target);
        queue.push(edge.target);
      }
    }
  }
  return { files, packages };
}

describe('the fetch entry (mcp-outlet/fetch)', () => {
  const { files, packages } = loadedBy(readImportGraph(root), 'src/serverless/fetch.ts');

  it(`loads at most ${FETCH_ENTRY_MAX_FILES} files of src/ at module load`, () => {
    expect(files.size).toBeLessThanOrEqual(FETCH_ENTRY_MAX_FILES);
  });

  it('does not load the package fetcher (npm and its installer) nor the Node server', () => {
    const fetchStep = [...files].filter((f) => f.startsWith('src/packages/') && f !== 'src/packages/package-source.ts' && f !== 'src/packages/cache-layout.ts');
    expect(fetchStep).toEqual([]);
    expect(files).not.toContain('src/outlet/runtime.ts');
    expect(packages).not.toContain('@hono/node-server');
  });

  it('does not load what spawns processes: node:child_process, the sandbox, the stdio transport, per-process supervision', () => {
    expect(packages).not.toContain('node:child_process');
    expect(packages).not.toContain('child_process');
    expect(packages).not.toContain('@modelcontextprotocol/client/stdio');
    expect([...files].filter((f) => f.startsWith('src/sandbox/'))).toEqual([]);
    expect(files).not.toContain('src/upstream/stdio-transport.ts');
    expect(files).not.toContain('src/supervisor/server-sandbox.ts');
    expect(files).not.toContain('src/supervisor/instance-modes.ts');
  });
});
