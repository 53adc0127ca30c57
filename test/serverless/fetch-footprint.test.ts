import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// What `mcp-outlet/fetch` (Workers, Deno, Bun) loads: the files of src/ reached by value imports
// at module load, from src/serverless/fetch.ts. Dynamic `import()`s are left out: they load only
// when their code runs (the package fetcher, for a launcher entry: a Worker never starts one).
// The bound keeps the entry from growing back silently; lower it when a cut lands.
const FETCH_ENTRY_MAX_FILES = 223;

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** The `src/` files `file` imports statically for their values (type-only imports are erased). */
function staticValueImports(file: string): { files: string[]; packages: string[] } {
  const source = ts.createSourceFile(file, readFileSync(join(root, file), 'utf8'), ts.ScriptTarget.ES2022, false, ts.ScriptKind.TS);
  const files: string[] = [];
  const packages: string[] = [];
  for (const statement of source.statements) {
    const from = ts.isImportDeclaration(statement) ? (statement.importClause?.isTypeOnly ? undefined : statement.moduleSpecifier) : ts.isExportDeclaration(statement) && !statement.isTypeOnly ? statement.moduleSpecifier : undefined;
    if (!from || !ts.isStringLiteral(from)) continue;
    if (from.text.startsWith('.')) files.push(relative(root, resolve(root, dirname(file), from.text)).split(sep).join('/').replace(/\.js$/, '.ts'));
    else packages.push(from.text);
  }
  return { files, packages };
}

function loadedBy(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set([entry]);
  const packages = new Set<string>();
  const queue = [entry];
  while (queue.length > 0) {
    const next = staticValueImports(queue.shift()!);
    for (const p of next.packages) packages.add(p);
    for (const f of next.files) {
      if (files.has(f)) continue;
      files.add(f);
      queue.push(f);
    }
  }
  return { files, packages };
}

describe('the fetch entry (mcp-outlet/fetch)', () => {
  const { files, packages } = loadedBy('src/serverless/fetch.ts');

  it(`loads at most ${FETCH_ENTRY_MAX_FILES} files of src/ at module load`, () => {
    expect(files.size).toBeLessThanOrEqual(FETCH_ENTRY_MAX_FILES);
  });

  it('does not load the package fetcher (npm and its installer) nor the Node server', () => {
    const fetchStep = [...files].filter((f) => f.startsWith('src/packages/') && f !== 'src/packages/package-source.ts' && f !== 'src/packages/cache-layout.ts');
    expect(fetchStep).toEqual([]);
    expect(files).not.toContain('src/outlet/runtime.ts');
    expect(packages).not.toContain('@hono/node-server');
  });
});
