#!/usr/bin/env node
// The published binary runs the compiled CLI; in a checkout without a build it falls back to tsx.
// `outlet builtin <name>` (what a built-in server entry runs, at every start and restart) goes
// straight to the built-in's own entry instead of loading the whole CLI.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const builtin = process.argv[2] === 'builtin' && process.argv.length === 4 ? process.argv[3] : undefined;
const compiled = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
const built = existsSync(compiled);
if (!built) {
  const { register } = await import('tsx/esm/api');
  register();
}
if (builtin !== undefined) {
  const { runBuiltin } = await import(built ? '../dist/builtins/run-builtin.js' : '../src/builtins/run-builtin.ts');
  await runBuiltin(builtin).catch((err) => {
    console.error(`outlet builtin: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 2;
  });
} else {
  await import(built ? compiled : '../src/cli/main.ts');
}
