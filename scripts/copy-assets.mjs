#!/usr/bin/env node
// Copies the files tsc does not emit (plain CommonJS helpers such as the sandbox's egress
// forwarder, run by a node inside the sandbox) from src/ into a build directory, same layout.
//   node scripts/copy-assets.mjs <outDir>
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const src = join(root, 'src');
const out = process.argv[2];
if (!out) {
  console.error('usage: node scripts/copy-assets.mjs <outDir>');
  process.exit(2);
}
for (const entry of readdirSync(src, { recursive: true, withFileTypes: true })) {
  if (!entry.isFile() || !/\.(cjs|mjs)$/.test(entry.name)) continue;
  const from = join(entry.parentPath ?? entry.path, entry.name);
  const to = join(out, relative(src, from));
  mkdirSync(dirname(to), { recursive: true });
  copyFileSync(from, to);
}
