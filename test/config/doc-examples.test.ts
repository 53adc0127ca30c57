import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/config/index.js';
import { gatewayShape } from '../../src/config/gateway-schema.js';
import { parseJson } from '../../src/config/json-parse.js';
import { serverEntryShape } from '../../src/config/server-schema.js';
import { REPO_ROOT } from '../helpers/servers.js';

// Every config example in README.md and docs/*.md is a config the outlet accepts. A fenced json or
// yaml block that parses to an object with a server map or any top-level key of the config is a
// config example and is parsed and validated as one; a block that starts like a config but is a
// fragment (not a whole object) must be marked with `<!-- not-a-config -->` on the line before it,
// so a broken example can never pass as a "fragment" unnoticed.

const KEYS = new Set([...Object.keys(gatewayShape), 'inputs']);
/** Keys a fragment may open with: the config's own, and a server entry's. */
const FRAGMENT_KEYS = new Set([...KEYS, ...Object.keys(serverEntryShape)]);
const MARKER = '<!-- not-a-config -->';
const FENCE = /^```(json|jsonc|yaml|yml)\n([\s\S]*?)^```$/gm;

interface Block {
  where: string;
  format: 'json' | 'yaml';
  text: string;
  marked: boolean;
}

function blocksOf(file: string): Block[] {
  const text = readFileSync(join(REPO_ROOT, file), 'utf8');
  const out: Block[] = [];
  for (const m of text.matchAll(FENCE)) {
    const line = text.slice(0, m.index).split('\n').length;
    const before = text.slice(0, m.index).trimEnd().split('\n').at(-1) ?? '';
    out.push({ where: `${file}:${line}`, format: m[1]!.startsWith('y') ? 'yaml' : 'json', text: m[2]!, marked: before.trim() === MARKER });
  }
  return out;
}

function parsed(block: Block): unknown {
  if (block.format === 'json') return parseJson(block.text).value;
  const doc = parseDocument(block.text);
  return doc.errors.length > 0 ? undefined : doc.toJS();
}

function looksLikeConfig(value: unknown): boolean {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).some((k) => KEYS.has(k));
}

/** A block that is not a whole object but opens with a config or server-entry key, e.g. `"auth": { ... }`. */
function startsLikeConfig(text: string): boolean {
  const first = text.split('\n').find((l) => l.trim() !== '' && !l.trim().startsWith('//'))?.trim() ?? '';
  const key = /^"?([A-Za-z$]+)"?\s*:/.exec(first)?.[1];
  return key !== undefined && FRAGMENT_KEYS.has(key);
}

const files = ['README.md', ...readdirSync(join(REPO_ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
const blocks = files.flatMap(blocksOf);
// Any ${VAR} in an example reads as a plain word, and each example's relative paths resolve in a scratch directory.
const env = new Proxy({}, { get: (_t, name) => (typeof name === 'string' ? 'example' : undefined) }) as NodeJS.ProcessEnv;
const baseDir = mkdtempSync(join(tmpdir(), 'outlet-doc-examples-'));
// The examples' `envFile` is `${workspaceFolder}/.env`, which here is that scratch directory.
writeFileSync(join(baseDir, '.env'), 'EXAMPLE=1\n');

describe('config examples in the docs', () => {
  it('finds the examples (the fence pattern still matches)', () => {
    expect(blocks.filter((b) => !b.marked && looksLikeConfig(parsed(b))).length).toBeGreaterThanOrEqual(5);
  });

  it.each(blocks.filter((b) => !b.marked).map((b) => [b.where, b] as const))('%s is a valid config, or no config at all', (_where, block) => {
    const value = parsed(block);
    if (looksLikeConfig(value)) {
      expect(() => parseConfigText(block.text, block.format, { env, baseDir })).not.toThrow();
      return;
    }
    expect(startsLikeConfig(block.text), `a fragment of a config: make it a whole one, or mark it ${MARKER}`).toBe(false);
  });
});
