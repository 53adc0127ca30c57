import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/index.js';
import { eventually } from '../helpers/outlet.js';
import { suiteGateway } from '../helpers/suite-gateway.js';

type CallResult = { content: { type: string; text: string }[]; isError?: boolean; structuredContent?: Record<string, unknown> };
type Hit = { path: string; snippet: string; score: number };

// The search built-in through the real gateway: an FTS5 index, in the cage's scratch, of a temp
// tree mounted read-only; a rescan every second so a change shows up while the test waits.
const base = mkdtempSync(join(tmpdir(), 'outlet-search-'));
const docs = join(base, 'docs');
mkdirSync(join(docs, 'src'), { recursive: true });
writeFileSync(join(docs, 'otters.md'), '# Otters\n\nOtters are playful. Sea otters float on their backs; river otters slide on mud. Otters otters.\n');
writeFileSync(join(docs, 'beavers.md'), '# Beavers\n\nBeavers build dams. An otter sometimes visits the beaver pond.\n');
writeFileSync(join(docs, 'src', 'lake.ts'), 'export function lakeDepth(metres: number): string {\n  return `the lake is ${metres} m deep`;\n}\n');
writeFileSync(join(docs, 'image.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3]));
writeFileSync(join(docs, 'binary.txt'), Buffer.from('otters\0\0\0binary'));
writeFileSync(join(docs, 'huge.txt'), `otters ${'x'.repeat(3000)}`);
afterAll(() => rmSync(base, { recursive: true, force: true }));

const suite = suiteGateway({ servers: { s: { builtin: 'search', roots: [docs], rescanSeconds: 1, maxFileBytes: 2000 } } }, { ready: true, timeoutMs: 30_000 });

async function call(name: string, args: Record<string, unknown>): Promise<CallResult> {
  return (await (await suite.gw.client()).callTool({ name: `s__${name}`, arguments: args })) as CallResult;
}

async function search(args: Record<string, unknown>): Promise<Hit[]> {
  const result = await call('search', args);
  if (result.isError) throw new Error(result.content[0]!.text);
  return result.structuredContent!.results as Hit[];
}

describe('the search built-in', () => {
  it('lists its tools as read-only', async () => {
    const { tools } = await (await suite.gw.client()).listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(['s__index_status', 's__reindex', 's__search']);
    expect(tools.every((t) => t.annotations?.readOnlyHint === true)).toBe(true);
  });

  it('finds words, ranked by bm25, with a snippet and a score', async () => {
    const hits = await search({ query: 'otters' });
    expect(hits.map((h) => h.path)).toEqual([join(docs, 'otters.md')]);
    const either = await search({ query: 'otter beaver', anyWord: true });
    expect(either.map((h) => h.path)).toEqual([join(docs, 'beavers.md')]);
    const code = await search({ query: 'lakeDepth' });
    expect(code[0]).toMatchObject({ path: join(docs, 'src', 'lake.ts'), snippet: expect.stringContaining('«lakeDepth»') });
    const ranked = await search({ query: 'otters OR otter', syntax: 'fts5' });
    expect(ranked.map((h) => h.path)).toEqual([join(docs, 'otters.md'), join(docs, 'beavers.md')]);
    expect(ranked[0]!.score).toBeGreaterThan(ranked[1]!.score);
  });

  it('skips binaries and files over the size cap, and says so', async () => {
    const status = (await call('index_status', {})).structuredContent!;
    expect(status).toMatchObject({ files: 3, skippedTooBig: 1, skippedBinary: 1, roots: [docs], rescanSeconds: 1 });
    expect(status.indexBytes).toBeGreaterThan(0);
    expect(Date.parse(status.lastUpdate as string)).not.toBeNaN();
  });

  it('finds a file changed after start once the scan has run', async () => {
    writeFileSync(join(docs, 'beavers.md'), '# Beavers\n\nNow about platypuses.\n');
    utimesSync(join(docs, 'beavers.md'), new Date(), new Date(Date.now() + 5000));
    writeFileSync(join(docs, 'new.md'), 'A platypus lays eggs.\n');
    await eventually(async () => (await search({ query: 'platypuses' })).length === 1 && (await search({ query: 'platypus' })).length === 1, 10_000, 200);
    expect(await search({ query: 'dams' })).toEqual([]);
    rmSync(join(docs, 'new.md'));
    await eventually(async () => (await search({ query: 'platypus' })).length === 0, 10_000, 200);
    expect((await call('reindex', {})).structuredContent).toMatchObject({ files: 3 });
  });

  it('takes FTS5 syntax in plain queries as words, never as syntax', async () => {
    for (const query of ['"otters', 'otters NEAR(', 'ott*', 'path:otters', 'body:otters', '^otters', 'otters AND (', '-otters', 'NOT']) {
      const result = await call('search', { query });
      expect(result.content[0]!.text, query).not.toMatch(/fts5: syntax error|SqliteError/);
    }
    expect((await search({ query: 'path:otters' })).length).toBe(0); // "path" and "otters" both needed: no file says "path"
    expect((await search({ query: '"otters"' })).map((h) => h.path)).toEqual([join(docs, 'otters.md')]);
    const empty = await call('search', { query: '"*():' });
    expect(empty.isError).toBe(true);
    expect(empty.content[0]!.text).toMatch(/holds no word to search for/);
  });

  it('answers broken FTS5 syntax with a clear error, and keeps serving', async () => {
    for (const query of ['"unclosed', 'NEAR(', 'nocolumn:otters', 'AND AND']) {
      const result = await call('search', { query, syntax: 'fts5' });
      expect(result.isError, query).toBe(true);
      expect(result.content[0]!.text).toMatch(/is not a valid FTS5 query .*leave syntax at "plain"/);
    }
    expect((await search({ query: 'otters' })).length).toBe(1);
  });
});

describe('a search entry in the config', () => {
  it('needs roots; mounts them read-only with no network', () => {
    expect(() => parseConfig({ servers: { s: { builtin: 'search' } } })).toThrow(/servers\.s\.roots/);
    const config = parseConfig({ servers: { s: { builtin: 'search', roots: ['./docs'] } } }, { baseDir: '/srv/site' });
    const server = config.servers.s!;
    if (server.transport !== 'stdio') throw new Error('expected stdio');
    expect(server.sandbox.network).toBe('none');
    expect(server.sandbox.mounts).toContainEqual({ path: '/srv/site/docs', mode: 'ro' });
  });
});
