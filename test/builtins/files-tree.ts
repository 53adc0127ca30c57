import { chownSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface FilesTree {
  base: string;
  /** The read-only root: text, a nested folder, a big file, links pointing out. */
  root: string;
  /** The writable root (owned by the sandbox uid when the tests run as root). */
  rw: string;
  /** A folder outside every root, with a secret in it. */
  outside: string;
  remove(): void;
}

/** The sandbox runs servers as uid 65534 when the gateway is root: what it writes must be its own. */
function giveAway(path: string): void {
  if (process.getuid?.() !== 0) return;
  chownSync(path, 65534, 65534);
  if (statSync(path).isDirectory()) for (const name of readdirSync(path)) giveAway(join(path, name));
}

export function makeFilesTree(): FilesTree {
  const base = mkdtempSync(join(tmpdir(), 'outlet-files-'));
  const root = join(base, 'root');
  const rw = join(base, 'rw');
  const outside = join(base, 'outside');
  for (const dir of [root, rw, outside, join(root, 'docs'), join(root, 'src', 'deep'), join(rw, 'notes')]) mkdirSync(dir, { recursive: true });
  writeFileSync(join(outside, 'secret.txt'), 'TOP SECRET\n');
  writeFileSync(join(root, 'hello.txt'), 'hello world\nsecond line\n');
  writeFileSync(join(root, 'docs', 'guide.md'), '# Guide\n\nThe quick brown fox.\n');
  writeFileSync(join(root, 'docs', 'notes.md'), '# Notes\n\nNothing here about animals.\n');
  writeFileSync(join(root, 'src', 'deep', 'main.ts'), 'export const answer = 42;\n');
  writeFileSync(join(root, 'big.log'), Buffer.alloc(2 * 1024 * 1024, 'x'));
  symlinkSync('/etc', join(root, 'etc-link'));
  symlinkSync(join(outside, 'secret.txt'), join(root, 'secret-link.txt'));
  writeFileSync(join(rw, 'notes', 'todo.txt'), 'buy milk\n');
  symlinkSync(outside, join(rw, 'out-dir'));
  giveAway(rw);
  return { base, root, rw, outside, remove: () => rmSync(base, { recursive: true, force: true }) };
}
